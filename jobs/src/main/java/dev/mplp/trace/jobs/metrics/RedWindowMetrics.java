package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.records.ServiceWindow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Passes the RED window summaries (per service and operation) on unchanged and exports them for dashboards: the
 * spans and failed spans of every closed window as counters (their rates are the request and error rates, in event
 * time), and the latest window's latency p95 as a gauge. Each key's windows come from one subtask.
 */
public class RedWindowMetrics extends RichMapFunction<ServiceWindow, ServiceWindow> {

    private transient MetricGroup group;
    private transient Map<List<String>, Counter[]> counters;
    /** Read by the metric reporter's thread. */
    private transient Map<List<String>, Double> latencyP95;

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup(DashboardMetricNames.GROUP);
        counters = new HashMap<>();
        latencyP95 = new ConcurrentHashMap<>();
    }

    @Override
    public ServiceWindow map(ServiceWindow window) {
        if (!ServiceWindow.KIND_OPERATION.equals(window.kind)) {
            return window;
        }
        List<String> key = List.of(
                window.serviceName == null ? "unknown" : window.serviceName,
                window.operationName == null ? "unknown" : window.operationName);
        Counter[] spans = counters.computeIfAbsent(key, this::register);
        spans[0].inc(window.spanCount);
        spans[1].inc(window.errorSpanCount);
        if (window.latencyP95Ms != null) {
            latencyP95.put(key, window.latencyP95Ms);
        }
        return window;
    }

    private Counter[] register(List<String> key) {
        MetricGroup operation = group.addGroup(DashboardMetricNames.SERVICE, key.get(0))
                .addGroup(DashboardMetricNames.OPERATION, key.get(1));
        operation.gauge(
                DashboardMetricNames.LATENCY_P95_MS, (Gauge<Double>) () -> latencyP95.getOrDefault(key, Double.NaN));
        return new Counter[] {
            operation.counter(DashboardMetricNames.SPANS), operation.counter(DashboardMetricNames.ERROR_SPANS)
        };
    }
}
