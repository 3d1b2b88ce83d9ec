package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.ServiceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.junit.jupiter.api.Test;

class RedWindowAggregateTest {

    private static final String SERVICE = "mplp-workflow-service";
    private static final String OPERATION = "workflow_execution";
    private static final Instant WINDOW_START = Instant.parse("2025-09-03T10:00:00Z");
    private static final Duration WINDOW_SIZE = Duration.ofMinutes(1);
    private static final TimeWindow WINDOW =
            new TimeWindow(WINDOW_START.toEpochMilli(), WINDOW_START.plus(WINDOW_SIZE).toEpochMilli());

    private final RedWindowAggregate aggregate = new RedWindowAggregate();

    @Test
    void countsRatesAndExactPercentilesOfTheWindowsSpans() {
        // durations 1, 2, ..., 100 ms in a shuffled order; every 10th span failed
        List<CompletedSpan> spans = new ArrayList<>();
        for (int ms = 1; ms <= 100; ms++) {
            spans.add(span(ms, ms % 10 == 0));
        }
        Collections.shuffle(spans, new Random(7));

        ServiceWindow summary = summarize(spans);

        assertThat(summary.kind).isEqualTo(ServiceWindow.KIND_OPERATION);
        assertThat(summary.serviceName).isEqualTo(SERVICE);
        assertThat(summary.operationName).isEqualTo(OPERATION);
        assertThat(summary.windowStart).isEqualTo(WINDOW.getStart());
        assertThat(summary.windowEnd).isEqualTo(WINDOW.getEnd());
        assertThat(summary.spanCount).isEqualTo(100);
        assertThat(summary.errorSpanCount).isEqualTo(10);
        assertThat(summary.throughputOpsPerSec).isCloseTo(100.0 / WINDOW_SIZE.toSeconds(), within(1e-12));
        assertThat(summary.errorRatePercent).isCloseTo(10.0, within(1e-12));
        // the p-th percentile of n sorted values is at rank (n - 1) p + 1, interpolated linearly
        assertThat(summary.latencyP50Ms).isCloseTo(50.5, within(1e-9));
        assertThat(summary.latencyP95Ms).isCloseTo(95.05, within(1e-9));
        assertThat(summary.latencyP99Ms).isCloseTo(99.01, within(1e-9));
        assertThat(summary.latencyMaxMs).isEqualTo(100.0);
        assertThat(summary.baselineLatencyP95Ms).isNull();
    }

    @Test
    void aSingleSpanIsEveryPercentile() {
        ServiceWindow summary = summarize(List.of(span(42, true)));

        assertThat(summary.latencyP50Ms).isEqualTo(42.0);
        assertThat(summary.latencyP99Ms).isEqualTo(42.0);
        assertThat(summary.errorRatePercent).isEqualTo(100.0);
    }

    @Test
    void mergingTwoAccumulatorsEqualsAddingEverySpanToOne() {
        List<CompletedSpan> first = List.of(span(5, false), span(50, true), span(7, false));
        List<CompletedSpan> second = List.of(span(500, false), span(1, true));
        RedWindowAggregate.Accumulator a = aggregate.createAccumulator();
        first.forEach(s -> aggregate.add(s, a));
        RedWindowAggregate.Accumulator b = aggregate.createAccumulator();
        second.forEach(s -> aggregate.add(s, b));
        List<CompletedSpan> all = new ArrayList<>(first);
        all.addAll(second);

        ServiceWindow merged = RedWindowSummary.summarize(aggregate.merge(a, b), WINDOW);

        assertThat(merged).isEqualTo(summarize(all));
    }

    @Test
    void theKeyTellsApartNamesThatWouldJoinAlike() {
        assertThat(RedWindowAggregate.key("a/b", "c")).isNotEqualTo(RedWindowAggregate.key("a", "b/c"));
        CompletedSpan span = span(1, false);
        assertThat(RedWindowAggregate.key(span)).isEqualTo(RedWindowAggregate.key(SERVICE, OPERATION));
    }

    @Test
    void theAccumulatorSerializesAsAPojoWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(RedWindowAggregate.Accumulator.class);
    }

    private ServiceWindow summarize(List<CompletedSpan> spans) {
        RedWindowAggregate.Accumulator acc = aggregate.createAccumulator();
        for (CompletedSpan span : spans) {
            acc = aggregate.add(span, acc);
        }
        return RedWindowSummary.summarize(aggregate.getResult(acc), WINDOW);
    }

    private static CompletedSpan span(double durationMs, boolean error) {
        CompletedSpan span = new CompletedSpan();
        span.serviceName = SERVICE;
        span.operationName = OPERATION;
        span.endTime = WINDOW.getStart() + 1000;
        span.startTime = span.endTime - (long) durationMs;
        span.durationMs = durationMs;
        span.error = error;
        return span;
    }
}
