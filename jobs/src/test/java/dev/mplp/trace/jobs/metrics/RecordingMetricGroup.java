package dev.mplp.trace.jobs.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A metric group that keeps what is registered in it and its subgroups, by name and labels (the key/value groups
 * on the way), as Prometheus sees them after the scrape's relabelling: the name after the colon.
 */
final class RecordingMetricGroup extends UnregisteredMetricsGroup {

    private final Map<String, Metric> metrics;
    private final Map<String, String> labels;

    RecordingMetricGroup() {
        this(new ConcurrentHashMap<>(), new TreeMap<>());
    }

    private RecordingMetricGroup(Map<String, Metric> metrics, Map<String, String> labels) {
        this.metrics = metrics;
        this.labels = labels;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        return register(name, counter);
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        return register(name, gauge);
    }

    @Override
    public MetricGroup addGroup(String name) {
        return this;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        Map<String, String> child = new TreeMap<>(labels);
        child.put(key, value);
        return new RecordingMetricGroup(metrics, child);
    }

    private <M extends Metric> M register(String name, M metric) {
        if (metrics.putIfAbsent(key(name.substring(name.indexOf(':') + 1), labels), metric) != null) {
            throw new IllegalStateException("registered twice: " + name + labels);
        }
        return metric;
    }

    /** The count of a counter, null when none was registered with exactly these labels. */
    Long count(String name, Map<String, String> labels) {
        Metric metric = metrics.get(key(name, labels));
        return metric == null ? null : ((Counter) metric).getCount();
    }

    /** The value of a gauge, null when none was registered with exactly these labels. */
    Object gaugeValue(String name, Map<String, String> labels) {
        Metric metric = metrics.get(key(name, labels));
        return metric == null ? null : ((Gauge<?>) metric).getValue();
    }

    /** How many series of the name there are. */
    long series(String name) {
        return metrics.keySet().stream().filter(key -> key.startsWith(name + "{")).count();
    }

    private static String key(String name, Map<String, String> labels) {
        return name + new TreeMap<>(labels);
    }
}
