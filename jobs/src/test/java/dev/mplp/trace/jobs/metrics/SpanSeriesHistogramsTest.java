package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanSeriesHistogramsTest {

    private static final List<Double> BUCKETS = List.of(0.01, 0.1, 1.0);

    private final RecordingMetricGroup metrics = new RecordingMetricGroup();

    @Test
    void countsCallsAndCumulativeBucketsInSecondsPerSeries() {
        SpanSeriesHistograms histograms = histograms(List.of(), 10);
        histograms.record(span("checkout", "charge").durationMs(3).build());
        histograms.record(span("checkout", "charge").durationMs(50).build());
        histograms.record(span("checkout", "charge").durationMs(100).build()); // on a bound: in that bucket
        histograms.record(span("checkout", "charge").durationMs(20_000).build());

        Map<String, String> charge = series("checkout", "charge", "SPAN_KIND_SERVER", "STATUS_CODE_OK");
        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL, charge)).isEqualTo(4);
        assertThat(metrics.count(DashboardMetricNames.DURATION_SECONDS_COUNT, charge)).isEqualTo(4);
        assertThat((double) metrics.gaugeValue(DashboardMetricNames.DURATION_SECONDS_SUM, charge))
                .isCloseTo(20.153, within(1e-9));
        assertThat(bucket(charge, "0.01")).isEqualTo(1);
        assertThat(bucket(charge, "0.1")).isEqualTo(3);
        assertThat(bucket(charge, "1.0")).isEqualTo(3);
        assertThat(bucket(charge, "+Inf")).isEqualTo(4);
    }

    @Test
    void spanKindAndStatusAreSpanmetricsValuesAndAFailedExecutionIsAnError() {
        SpanSeriesHistograms histograms = histograms(List.of(), 10);
        histograms.record(span("checkout", "charge").kind("client").status("ok").error(true).build());
        histograms.record(span("checkout", "charge").kind(null).status(null).build());

        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL,
                        series("checkout", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_ERROR")))
                .isEqualTo(1);
        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL,
                        series("checkout", "charge", "SPAN_KIND_UNSPECIFIED", "STATUS_CODE_UNSET")))
                .isEqualTo(1);
    }

    @Test
    void seriesPastTheCardinalityLimitCountInOneOverflowSeries() {
        SpanSeriesHistograms histograms = histograms(List.of(), 2);
        histograms.record(span("checkout", "a").build());
        histograms.record(span("checkout", "b").build());
        histograms.record(span("checkout", "c").durationMs(5).build());
        histograms.record(span("checkout", "d").durationMs(500).build());
        histograms.record(span("checkout", "a").build());

        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL,
                        series("checkout", "a", "SPAN_KIND_SERVER", "STATUS_CODE_OK")))
                .isEqualTo(2);
        Map<String, String> overflow = Map.of(DashboardMetricNames.OVERFLOW, "true");
        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL, overflow)).isEqualTo(2);
        assertThat(bucket(overflow, "0.01")).isEqualTo(1);
        assertThat(bucket(overflow, "+Inf")).isEqualTo(2);
        assertThat(metrics.series(DashboardMetricNames.CALLS_TOTAL)).isEqualTo(3);
    }

    @Test
    void extraDimensionsComeFromTheSpanAttributesEmptyWhenMissing() {
        SpanSeriesHistograms histograms = histograms(List.of("http.route"), 10);
        histograms.record(span("checkout", "charge").attributes("{\"http.route\": \"/pay\"}").build());
        histograms.record(span("checkout", "charge").attributes(null).build());

        Map<String, String> pay = new HashMap<>(series("checkout", "charge", "SPAN_KIND_SERVER", "STATUS_CODE_OK"));
        pay.put("http_route", "/pay");
        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL, pay)).isEqualTo(1);
        pay.put("http_route", "");
        assertThat(metrics.count(DashboardMetricNames.CALLS_TOTAL, pay)).isEqualTo(1);
    }

    private SpanSeriesHistograms histograms(List<String> dimensions, int cardinalityLimit) {
        return new SpanSeriesHistograms(
                metrics, new TraceAnalyticsConfig.SpanMetrics(BUCKETS, dimensions, cardinalityLimit, Duration.ofMinutes(1)));
    }

    private long bucket(Map<String, String> series, String upperBound) {
        Map<String, String> labels = new HashMap<>(series);
        labels.put(DashboardMetricNames.LE, upperBound);
        return metrics.count(DashboardMetricNames.DURATION_SECONDS_BUCKET, labels);
    }

    private static Map<String, String> series(String service, String span, String kind, String status) {
        return Map.of(
                SpanSeries.SERVICE_NAME, service,
                SpanSeries.SPAN_NAME, span,
                SpanSeries.SPAN_KIND, kind,
                SpanSeries.STATUS_CODE, status);
    }

    private static SpanBuilder span(String service, String operation) {
        return new SpanBuilder(service, operation);
    }

    /** A completed server span, ok, of 1 ms, unless told otherwise. */
    private static final class SpanBuilder {
        private final CompletedSpan span = new CompletedSpan();

        SpanBuilder(String service, String operation) {
            span.serviceName = service;
            span.operationName = operation;
            span.spanKind = "server";
            span.statusCode = "ok";
            span.durationMs = 1;
        }

        SpanBuilder durationMs(double durationMs) {
            span.durationMs = durationMs;
            return this;
        }

        SpanBuilder kind(String kind) {
            span.spanKind = kind;
            return this;
        }

        SpanBuilder status(String status) {
            span.statusCode = status;
            return this;
        }

        SpanBuilder error(boolean error) {
            span.error = error;
            return this;
        }

        SpanBuilder attributes(String json) {
            span.attributes = json;
            return this;
        }

        CompletedSpan build() {
            return span;
        }
    }
}
