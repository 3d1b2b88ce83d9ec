package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.SpanSeriesPoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanSeriesIntervalsTest {

    private static final TraceAnalyticsConfig.SpanMetrics SETTINGS =
            new TraceAnalyticsConfig.SpanMetrics(List.of(0.01, 0.1, 1.0), List.of(), 10, Duration.ofMinutes(1));

    private final SpanSeriesIntervals.PointAggregate aggregate = new SpanSeriesIntervals.PointAggregate(SETTINGS);

    @Test
    void aPointCountsBucketsNotCumulativeAndKeepsTheSlowestSpanAsExemplar() {
        SpanSeriesPoint point = aggregate.createAccumulator();
        point = aggregate.add(span("a1", 3), point);
        point = aggregate.add(span("a2", 2500), point);
        point = aggregate.add(span("a3", 100), point);

        assertThat(point.labelValues).containsExactly("checkout", "charge", "SPAN_KIND_SERVER", "STATUS_CODE_OK");
        assertThat(point.count).isEqualTo(3);
        assertThat(point.sumSeconds).isCloseTo(2.603, within(1e-9));
        assertThat(point.minSeconds).isEqualTo(0.003);
        assertThat(point.maxSeconds).isEqualTo(2.5);
        assertThat(point.bucketCounts).containsExactly(1, 1, 0, 1);
        assertThat(point.exemplarSpanId).isEqualTo("a2");
        assertThat(point.exemplarSeconds).isEqualTo(2.5);
    }

    @Test
    void mergingAddsUpAndKeepsTheSlowerExemplar() {
        SpanSeriesPoint a = aggregate.add(span("a1", 50), aggregate.createAccumulator());
        SpanSeriesPoint b = aggregate.add(span("b1", 500), aggregate.createAccumulator());

        SpanSeriesPoint merged = aggregate.merge(a, b);

        assertThat(merged.count).isEqualTo(2);
        assertThat(merged.bucketCounts).containsExactly(0, 1, 1, 0);
        assertThat(merged.minSeconds).isEqualTo(0.05);
        assertThat(merged.exemplarSpanId).isEqualTo("b1");
    }

    private static CompletedSpan span(String spanId, double durationMs) {
        CompletedSpan span = new CompletedSpan();
        span.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        span.spanId = spanId;
        span.serviceName = "checkout";
        span.operationName = "charge";
        span.spanKind = "server";
        span.statusCode = "ok";
        span.durationMs = durationMs;
        span.endTime = 1_000L;
        return span;
    }
}
