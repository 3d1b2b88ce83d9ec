package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.MetricGroup;

/**
 * The span metrics of one subtask: a {@link SpanDurationHistogram} per span series ({@link SpanSeries}), registered
 * when its first span comes. At most {@code span-metrics.cardinality-limit} series (as spanmetrics'
 * {@code aggregation_cardinality_limit}): the spans of any further series count in one overflow series labelled
 * {@code otel_metric_overflow="true"}, so that an unbounded label (a span name holding an id) cannot exhaust the
 * job's or Prometheus's memory.
 */
final class SpanSeriesHistograms {

    private final TraceAnalyticsConfig.SpanMetrics settings;
    private final SpanSeries series;
    private final List<String> labelKeys;
    private final MetricGroup group;
    private final Map<List<String>, SpanDurationHistogram> histograms = new HashMap<>();
    private SpanDurationHistogram overflow;

    /** {@code parent} is the operator's metric group. */
    SpanSeriesHistograms(MetricGroup parent, TraceAnalyticsConfig.SpanMetrics settings) {
        this.settings = settings;
        series = new SpanSeries(settings.dimensions());
        labelKeys = series.labelKeys();
        group = parent.addGroup(DashboardMetricNames.SPAN_METRICS_GROUP);
    }

    void record(CompletedSpan span) {
        histogram(series.labelValues(span)).record(span.durationMs / 1000.0);
    }

    private SpanDurationHistogram histogram(List<String> labelValues) {
        SpanDurationHistogram histogram = histograms.get(labelValues);
        if (histogram != null) {
            return histogram;
        }
        if (histograms.size() >= settings.cardinalityLimit()) {
            if (overflow == null) {
                overflow = new SpanDurationHistogram(
                        group.addGroup(DashboardMetricNames.OVERFLOW, "true"), settings.bucketsSeconds());
            }
            return overflow;
        }
        MetricGroup labelled = group;
        for (int i = 0; i < labelKeys.size(); i++) {
            labelled = labelled.addGroup(labelKeys.get(i), labelValues.get(i));
        }
        histogram = new SpanDurationHistogram(labelled, settings.bucketsSeconds());
        histograms.put(labelValues, histogram);
        return histogram;
    }
}
