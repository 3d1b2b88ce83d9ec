package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.DOUBLE;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT64;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.ServiceWindow;

/**
 * {@code service_windows/}: the RED summaries of (service, operation) windows and the resource summaries of service
 * windows ({@code kind} tells which; columns of the other kind are null), with the baselines each was compared
 * with. Partitioned by {@code window_start}.
 */
public final class ServiceWindowsTable {

    public static final ArchiveTable<ServiceWindow> TABLE = ArchiveTable.<ServiceWindow>builder(
                    "service_windows", 1, window -> window.windowStart)
            .required("kind", STRING, w -> w.kind)
            .optional("service_name", STRING, w -> w.serviceName)
            .optional("operation_name", STRING, w -> w.operationName)
            .required("window_start", TIMESTAMP, w -> w.windowStart)
            .required("window_end", TIMESTAMP, w -> w.windowEnd)
            .required("span_count", INT64, w -> w.spanCount)
            .required("error_span_count", INT64, w -> w.errorSpanCount)
            .optional("throughput_ops_per_sec", DOUBLE, w -> w.throughputOpsPerSec)
            .optional("error_rate_percent", DOUBLE, w -> w.errorRatePercent)
            .optional("latency_p50_ms", DOUBLE, w -> w.latencyP50Ms)
            .optional("latency_p95_ms", DOUBLE, w -> w.latencyP95Ms)
            .optional("latency_p99_ms", DOUBLE, w -> w.latencyP99Ms)
            .optional("latency_max_ms", DOUBLE, w -> w.latencyMaxMs)
            .required("metrics_samples", INT64, w -> w.metricsSamples)
            .optional("cpu_usage_percent_avg", DOUBLE, w -> w.cpuUsagePercentAvg)
            .optional("cpu_usage_percent_max", DOUBLE, w -> w.cpuUsagePercentMax)
            .optional("memory_usage_mb_avg", DOUBLE, w -> w.memoryUsageMbAvg)
            .optional("memory_usage_mb_max", DOUBLE, w -> w.memoryUsageMbMax)
            .optional("baseline_latency_p95_ms", DOUBLE, w -> w.baselineLatencyP95Ms)
            .optional("baseline_error_rate_percent", DOUBLE, w -> w.baselineErrorRatePercent)
            .optional("baseline_throughput_ops_per_sec", DOUBLE, w -> w.baselineThroughputOpsPerSec)
            .build();

    private ServiceWindowsTable() {}
}
