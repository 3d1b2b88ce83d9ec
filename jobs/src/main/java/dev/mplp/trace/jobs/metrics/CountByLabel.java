package dev.mplp.trace.jobs.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Passes every record on unchanged and counts it in a counter labelled with one of its values. The values known in
 * advance are registered at start, so that dashboards show them as 0 rather than as missing series.
 */
public class CountByLabel<T> extends RichMapFunction<T, T> {

    private final String labelKey;
    private final String metricName;
    private final SerializableFunction<T, String> label;
    private final List<String> knownValues;
    private transient MetricGroup group;
    private transient Map<String, Counter> counters;

    public CountByLabel(
            String labelKey, String metricName, SerializableFunction<T, String> label, List<String> knownValues) {
        this.labelKey = labelKey;
        this.metricName = metricName;
        this.label = label;
        this.knownValues = List.copyOf(knownValues);
    }

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup(DashboardMetricNames.GROUP);
        counters = new HashMap<>();
        knownValues.forEach(this::counter);
    }

    @Override
    public T map(T record) {
        counter(label.apply(record)).inc();
        return record;
    }

    private Counter counter(String value) {
        return counters.computeIfAbsent(
                value == null ? "unknown" : value,
                v -> group.addGroup(labelKey, v).counter(DashboardMetricNames.flinkName(metricName)));
    }
}
