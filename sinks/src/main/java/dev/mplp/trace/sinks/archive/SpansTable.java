package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.BOOLEAN;
import static dev.mplp.trace.sinks.archive.Column.Kind.DOUBLE;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT32;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT64;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Thresholds;

/**
 * {@code spans/}: one row per completed span with typed columns, and the limits the trace declared for itself
 * ({@code threshold_*}, null where it gave none). Partitioned by {@code end_time}.
 */
public final class SpansTable {

    public static final ArchiveTable<CompletedSpan> TABLE = ArchiveTable.<CompletedSpan>builder(
                    "spans", 1, span -> span.endTime)
            .required("trace_id", STRING, s -> s.traceId)
            .required("span_id", STRING, s -> s.spanId)
            .optional("parent_span_id", STRING, s -> s.parentSpanId)
            .optional("service_name", STRING, s -> s.serviceName)
            .optional("operation_name", STRING, s -> s.operationName)
            .optional("span_kind", STRING, s -> s.spanKind)
            .required("start_time", TIMESTAMP, s -> s.startTime)
            .required("end_time", TIMESTAMP, s -> s.endTime)
            .required("duration_ms", DOUBLE, s -> s.durationMs)
            .optional("status_code", STRING, s -> s.statusCode)
            .optional("success", BOOLEAN, s -> s.success)
            .required("error", BOOLEAN, s -> s.error)
            .required("error_count", INT64, s -> s.errorCount)
            .required("message_count", INT32, s -> s.messageCount)
            .optional("threshold_duration_ms", DOUBLE, s -> threshold(s).durationMs)
            .optional("threshold_cpu_usage_percent", DOUBLE, s -> threshold(s).cpuUsagePercent)
            .optional("threshold_memory_usage_mb", DOUBLE, s -> threshold(s).memoryUsageMb)
            .optional("threshold_error_rate_percent", DOUBLE, s -> threshold(s).errorRatePercent)
            .optional("target_max_latency_p95_ms", DOUBLE, s -> threshold(s).maxLatencyP95Ms)
            .optional("target_min_throughput_ops_per_sec", DOUBLE, s -> threshold(s).minThroughputOpsPerSec)
            .optional("target_max_error_rate_percent", DOUBLE, s -> threshold(s).maxErrorRatePercent)
            // one row per span: its ids are in a few rows at most (no dictionary, as in messages/)
            .distinctPerRow("trace_id")
            .distinctPerRow("span_id")
            .distinctPerRow("parent_span_id")
            .build();

    private static final Thresholds NONE = new Thresholds();

    private SpansTable() {}

    private static Thresholds threshold(CompletedSpan span) {
        return span.thresholds == null ? NONE : span.thresholds;
    }
}
