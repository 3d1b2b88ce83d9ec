package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.protocol.MetricsCollection;
import dev.mplp.trace.protocol.SpanPayload;
import dev.mplp.trace.protocol.TraceCompletion;
import dev.mplp.trace.protocol.TraceStart;
import dev.mplp.trace.protocol.TraceUpdate;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What the validator requires of each payload body: the fields the jobs key on or order by, and the range of
 * the numbers the detectors evaluate. Paths are relative to the body ({@code payload.trace_start}).
 */
final class PayloadRules {

    /** How a required text field is checked beyond being a string. */
    enum Text {
        /** Format checked later ({@code invalid_trace_id}, {@code invalid_span_id}). */
        ID,
        /** Format checked later ({@code invalid_timestamp}). */
        TIME,
        /** Must not be blank ({@code invalid_type} otherwise). */
        NAME
    }

    /** What a detection number must be, when present. */
    enum Range {
        /** A finite number, 0 or more. */
        NON_NEGATIVE,
        /** A finite number from 0 to 100. */
        PERCENT,
        /** An integer (no fraction, fits a long), 0 or more. */
        COUNT
    }

    /** A required text field, with its value in the typed model (for the one-pass read, {@link OnePassReader}). */
    record Required(String field, Text text, Function<SpanPayload, String> value) {}

    /** A detection number at its path, with its value in the typed model (null where it or a parent is absent). */
    record Measured(String path, Range range, Function<SpanPayload, Number> value) {}

    private static final List<Required> START_REQUIRED = List.of(
            new Required("trace_id", Text.ID, b -> ((TraceStart) b).traceId()),
            new Required("span_id", Text.ID, b -> ((TraceStart) b).spanId()),
            new Required("operation_name", Text.NAME, b -> ((TraceStart) b).operationName()),
            new Required("service_name", Text.NAME, b -> ((TraceStart) b).serviceName()),
            new Required("start_time", Text.TIME, b -> ((TraceStart) b).startTime()));
    private static final List<Required> UPDATE_REQUIRED = List.of(
            new Required("trace_id", Text.ID, b -> ((TraceUpdate) b).traceId()),
            new Required("span_id", Text.ID, b -> ((TraceUpdate) b).spanId()),
            new Required("update_timestamp", Text.TIME, b -> ((TraceUpdate) b).updateTimestamp()),
            new Required("status", Text.NAME, b -> ((TraceUpdate) b).status()));
    private static final List<Required> COMPLETE_REQUIRED = List.of(
            new Required("trace_id", Text.ID, b -> ((TraceCompletion) b).traceId()),
            new Required("span_id", Text.ID, b -> ((TraceCompletion) b).spanId()),
            new Required("completion_timestamp", Text.TIME, b -> ((TraceCompletion) b).completionTimestamp()),
            new Required("status", Text.NAME, b -> ((TraceCompletion) b).status()));
    /** {@code collection_id} is not required: nothing keys on it, {@code message_id} identifies the message. */
    private static final List<Required> METRICS_REQUIRED = List.of(
            new Required("trace_id", Text.ID, b -> ((MetricsCollection) b).traceId()),
            new Required("span_id", Text.ID, b -> ((MetricsCollection) b).spanId()),
            new Required("collection_timestamp", Text.TIME, b -> ((MetricsCollection) b).collectionTimestamp()));

    private static final List<Measured> START_MEASURED = List.of(
            new Measured("monitoring_configuration.alert_thresholds.duration_ms", Range.NON_NEGATIVE,
                    b -> child(alertThresholds(b), TraceStart.AlertThresholds::durationMs)),
            new Measured("monitoring_configuration.alert_thresholds.cpu_usage_percent", Range.PERCENT,
                    b -> child(alertThresholds(b), TraceStart.AlertThresholds::cpuUsagePercent)),
            new Measured("monitoring_configuration.alert_thresholds.memory_usage_mb", Range.NON_NEGATIVE,
                    b -> child(alertThresholds(b), TraceStart.AlertThresholds::memoryUsageMb)),
            new Measured("monitoring_configuration.alert_thresholds.error_rate_percent", Range.PERCENT,
                    b -> child(alertThresholds(b), TraceStart.AlertThresholds::errorRatePercent)),
            new Measured("monitoring_configuration.performance_targets.max_latency_p95_ms", Range.NON_NEGATIVE,
                    b -> child(performanceTargets(b), TraceStart.PerformanceTargets::maxLatencyP95Ms)),
            new Measured("monitoring_configuration.performance_targets.min_throughput_ops_per_sec", Range.NON_NEGATIVE,
                    b -> child(performanceTargets(b), TraceStart.PerformanceTargets::minThroughputOpsPerSec)),
            new Measured("monitoring_configuration.performance_targets.max_error_rate_percent", Range.PERCENT,
                    b -> child(performanceTargets(b), TraceStart.PerformanceTargets::maxErrorRatePercent)));
    private static final List<Measured> UPDATE_MEASURED = List.of(
            new Measured("progress_percentage", Range.PERCENT,
                    b -> ((TraceUpdate) b).progressPercentage()),
            new Measured("performance_metrics.duration_ms", Range.NON_NEGATIVE,
                    b -> child(((TraceUpdate) b).performanceMetrics(), TraceUpdate.PerformanceMetrics::durationMs)),
            new Measured("performance_metrics.system_metrics.cpu_usage_percent", Range.PERCENT,
                    b -> child(updateSystem(b), TraceUpdate.SystemMetrics::cpuUsagePercent)),
            new Measured("performance_metrics.system_metrics.memory_usage_mb", Range.NON_NEGATIVE,
                    b -> child(updateSystem(b), TraceUpdate.SystemMetrics::memoryUsageMb)),
            new Measured("performance_metrics.application_metrics.error_rate_percent", Range.PERCENT,
                    b -> child(updateApplication(b), TraceUpdate.ApplicationMetrics::errorRatePercent)),
            new Measured("performance_metrics.application_metrics.latency_p95_ms", Range.NON_NEGATIVE,
                    b -> child(updateApplication(b), TraceUpdate.ApplicationMetrics::latencyP95Ms)),
            new Measured("performance_metrics.application_metrics.throughput_ops_per_sec", Range.NON_NEGATIVE,
                    b -> child(updateApplication(b), TraceUpdate.ApplicationMetrics::throughputOpsPerSec)));
    private static final List<Measured> COMPLETE_MEASURED = List.of(
            new Measured("final_metrics.total_duration_ms", Range.NON_NEGATIVE,
                    b -> child(((TraceCompletion) b).finalMetrics(), TraceCompletion.FinalMetrics::totalDurationMs)),
            new Measured("final_metrics.peak_cpu_usage_percent", Range.PERCENT,
                    b -> child(((TraceCompletion) b).finalMetrics(), TraceCompletion.FinalMetrics::peakCpuUsagePercent)),
            new Measured("final_metrics.peak_memory_usage_mb", Range.NON_NEGATIVE,
                    b -> child(((TraceCompletion) b).finalMetrics(), TraceCompletion.FinalMetrics::peakMemoryUsageMb)),
            new Measured("performance_summary.latency_p95_ms", Range.NON_NEGATIVE,
                    b -> child(summary(b), TraceCompletion.PerformanceSummary::latencyP95Ms)),
            new Measured("performance_summary.avg_throughput_ops_per_sec", Range.NON_NEGATIVE,
                    b -> child(summary(b), TraceCompletion.PerformanceSummary::avgThroughputOpsPerSec)),
            new Measured("performance_summary.total_operations", Range.COUNT,
                    b -> child(summary(b), TraceCompletion.PerformanceSummary::totalOperations)),
            new Measured("performance_summary.failed_operations", Range.COUNT,
                    b -> child(summary(b), TraceCompletion.PerformanceSummary::failedOperations)));
    private static final List<Measured> METRICS_MEASURED = List.of(
            new Measured("system_metrics.cpu.usage_percent", Range.PERCENT,
                    b -> child(child(((MetricsCollection) b).systemMetrics(), MetricsCollection.SystemMetrics::cpu), MetricsCollection.Cpu::usagePercent)),
            new Measured("system_metrics.memory.used_bytes", Range.COUNT,
                    b -> child(child(((MetricsCollection) b).systemMetrics(), MetricsCollection.SystemMetrics::memory), MetricsCollection.Memory::usedBytes)),
            new Measured("application_metrics.http.error_rate_percent", Range.PERCENT,
                    b -> child(metricsHttp(b), MetricsCollection.Http::errorRatePercent)),
            new Measured("application_metrics.http.response_time_p95_ms", Range.NON_NEGATIVE,
                    b -> child(metricsHttp(b), MetricsCollection.Http::responseTimeP95Ms)),
            new Measured("application_metrics.http.requests_per_sec", Range.NON_NEGATIVE,
                    b -> child(metricsHttp(b), MetricsCollection.Http::requestsPerSec)));

    private PayloadRules() {}

    /** The required fields of a body, in the order they are checked. */
    static List<Required> required(MessageType type) {
        return switch (type) {
            case START -> START_REQUIRED;
            case UPDATE -> UPDATE_REQUIRED;
            case COMPLETE -> COMPLETE_REQUIRED;
            case METRICS -> METRICS_REQUIRED;
        };
    }

    private static List<Measured> measured(MessageType type) {
        return switch (type) {
            case START -> START_MEASURED;
            case UPDATE -> UPDATE_MEASURED;
            case COMPLETE -> COMPLETE_MEASURED;
            case METRICS -> METRICS_MEASURED;
        };
    }

    /** The name of the body's own time field. */
    static String timeField(MessageType type) {
        return switch (type) {
            case START -> "start_time";
            case UPDATE -> "update_timestamp";
            case COMPLETE -> "completion_timestamp";
            case METRICS -> "collection_timestamp";
        };
    }

    /**
     * Checks the detection numbers of a body: each, when present and not null, must be a number in its range.
     * A container on the way that is not an object is left to the binding, which reports its path.
     */
    static void checkMeasured(MessageType type, JsonNode body, String bodyPath) throws Rejection {
        for (Measured m : measured(type)) {
            JsonNode value = at(body, m.path());
            if (value != null && !inRange(value, m.range())) {
                throw new Rejection(DeadLetterReason.INVALID_TYPE, bodyPath + "." + m.path());
            }
        }
        if (type == MessageType.COMPLETE) {
            JsonNode total = at(body, "performance_summary.total_operations");
            JsonNode failed = at(body, "performance_summary.failed_operations");
            if (total != null && failed != null && failed.longValue() > total.longValue()) {
                throw new Rejection(
                        DeadLetterReason.INVALID_TYPE, bodyPath + ".performance_summary.failed_operations");
            }
        }
    }

    /**
     * Whether the typed body of a message that bound without error passes what {@link #required} and
     * {@link #checkMeasured} check on the tree: every required text set (names not blank), every detection number
     * in its range (counts as integers), failed operations at most the total. False says only "not proven": the
     * tree checks then name the reason.
     */
    static boolean holds(MessageType type, SpanPayload body) {
        for (Required required : required(type)) {
            String value = required.value().apply(body);
            if (value == null || (required.text() == Text.NAME && value.isBlank())) {
                return false;
            }
        }
        for (Measured m : measured(type)) {
            Number value = m.value().apply(body);
            if (value != null && !inRange(value, m.range())) {
                return false;
            }
        }
        if (body instanceof TraceCompletion completion && completion.performanceSummary() != null) {
            Long total = completion.performanceSummary().totalOperations();
            Long failed = completion.performanceSummary().failedOperations();
            return total == null || failed == null || failed <= total;
        }
        return true;
    }

    private static boolean inRange(Number value, Range range) {
        if (range == Range.COUNT) {
            return value instanceof Long count && count >= 0;
        }
        double number = value.doubleValue();
        return Double.isFinite(number) && number >= 0 && (range != Range.PERCENT || number <= 100);
    }

    /**
     * Every time field of a body that is set, with its path, in document order: the body's own time first,
     * then the times of its events, logs, metrics, anomalies and alert evaluations.
     */
    static void forEachTime(
            MessageType type, SpanPayload body, String bodyPath, BiConsumer<String, String> action) {
        action.accept(bodyPath + "." + timeField(type), body.time());
        if (body instanceof TraceUpdate update) {
            forEachIndexed(update.spanEvents(), bodyPath + ".span_events",
                    (path, e) -> action.accept(path + ".event_timestamp", e.eventTimestamp()));
            forEachIndexed(update.spanLogs(), bodyPath + ".span_logs",
                    (path, l) -> action.accept(path + ".log_timestamp", l.logTimestamp()));
            if (update.performanceMetrics() != null) {
                action.accept(bodyPath + ".performance_metrics.timestamp", update.performanceMetrics().timestamp());
            }
            if (update.anomalyDetectionResults() != null) {
                forEachIndexed(update.anomalyDetectionResults().anomalyDetails(),
                        bodyPath + ".anomaly_detection_results.anomaly_details",
                        (path, a) -> action.accept(path + ".detection_timestamp", a.detectionTimestamp()));
            }
            forEachIndexed(update.alertEvaluations(), bodyPath + ".alert_evaluations",
                    (path, a) -> action.accept(path + ".evaluation_timestamp", a.evaluationTimestamp()));
        }
    }

    /** The child of a nested record, or null when the parent is absent. */
    private static <P, V> V child(P parent, Function<P, V> value) {
        return parent == null ? null : value.apply(parent);
    }

    private static TraceStart.AlertThresholds alertThresholds(SpanPayload body) {
        return child(((TraceStart) body).monitoringConfiguration(), TraceStart.MonitoringConfiguration::alertThresholds);
    }

    private static TraceStart.PerformanceTargets performanceTargets(SpanPayload body) {
        return child(((TraceStart) body).monitoringConfiguration(),
                TraceStart.MonitoringConfiguration::performanceTargets);
    }

    private static TraceUpdate.SystemMetrics updateSystem(SpanPayload body) {
        return child(((TraceUpdate) body).performanceMetrics(), TraceUpdate.PerformanceMetrics::systemMetrics);
    }

    private static TraceUpdate.ApplicationMetrics updateApplication(SpanPayload body) {
        return child(((TraceUpdate) body).performanceMetrics(), TraceUpdate.PerformanceMetrics::applicationMetrics);
    }

    private static TraceCompletion.PerformanceSummary summary(SpanPayload body) {
        return ((TraceCompletion) body).performanceSummary();
    }

    private static MetricsCollection.Http metricsHttp(SpanPayload body) {
        return child(((MetricsCollection) body).applicationMetrics(), MetricsCollection.ApplicationMetrics::http);
    }

    private static <T> void forEachIndexed(List<T> items, String path, BiConsumer<String, T> action) {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) != null) {
                action.accept(path + "[" + i + "]", items.get(i));
            }
        }
    }

    /** The node at a dotted path, or null when it or an object on the way is absent, null or not an object. */
    private static JsonNode at(JsonNode body, String path) {
        JsonNode node = body;
        for (String field : path.split("\\.")) {
            if (!node.isObject()) {
                return null;
            }
            node = node.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
        }
        return node;
    }

    private static boolean inRange(JsonNode value, Range range) {
        if (!value.isNumber()) {
            return false;
        }
        if (range == Range.COUNT) {
            return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0;
        }
        double number = value.doubleValue();
        return Double.isFinite(number) && number >= 0 && (range != Range.PERCENT || number <= 100);
    }
}
