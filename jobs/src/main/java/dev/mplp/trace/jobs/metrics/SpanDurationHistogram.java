package dev.mplp.trace.jobs.metrics;

import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics of one span series in Flink's metric model, shaped so that Prometheus sees spanmetrics' series: a
 * {@code calls} counter and a classic histogram of the durations in seconds. Flink's own {@code Histogram} would
 * reach Prometheus as a summary of quantiles, which cannot be aggregated over subtasks or operations; so each
 * bucket is a counter of its own, cumulative (every span counts in each bucket whose bound it does not exceed),
 * labelled {@code le}, as Prometheus's classic histograms are. The sum is a gauge (Flink's counters are whole
 * numbers).
 */
final class SpanDurationHistogram {

    private final Counter calls;
    private final double[] boundsSeconds;
    private final Counter[] buckets;
    private final Counter count;
    /** Written by the task thread, read by the metric reporter's. */
    private volatile double sumSeconds;

    SpanDurationHistogram(MetricGroup series, List<Double> boundsSeconds) {
        calls = series.counter(DashboardMetricNames.flinkName(DashboardMetricNames.CALLS_TOTAL));
        this.boundsSeconds = boundsSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        buckets = new Counter[this.boundsSeconds.length + 1];
        for (int i = 0; i < this.boundsSeconds.length; i++) {
            buckets[i] = bucket(series, Double.toString(this.boundsSeconds[i]));
        }
        buckets[this.boundsSeconds.length] = bucket(series, "+Inf");
        count = series.counter(DashboardMetricNames.flinkName(DashboardMetricNames.DURATION_SECONDS_COUNT));
        series.gauge(
                DashboardMetricNames.flinkName(DashboardMetricNames.DURATION_SECONDS_SUM),
                (Gauge<Double>) () -> sumSeconds);
    }

    private static Counter bucket(MetricGroup series, String upperBound) {
        return series.addGroup(DashboardMetricNames.LE, upperBound)
                .counter(DashboardMetricNames.flinkName(DashboardMetricNames.DURATION_SECONDS_BUCKET));
    }

    /** The first bucket whose upper bound the duration does not exceed; {@code bounds.length} for {@code +Inf}. */
    static int bucketIndex(double[] boundsSeconds, double durationSeconds) {
        int index = 0;
        while (index < boundsSeconds.length && durationSeconds > boundsSeconds[index]) {
            index++;
        }
        return index;
    }

    void record(double durationSeconds) {
        calls.inc();
        for (int i = bucketIndex(boundsSeconds, durationSeconds); i < buckets.length; i++) {
            buckets[i].inc();
        }
        count.inc();
        sumSeconds += durationSeconds;
    }
}
