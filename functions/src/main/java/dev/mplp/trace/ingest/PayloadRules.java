package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.protocol.SpanPayload;
import dev.mplp.trace.protocol.TraceUpdate;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.util.List;
import java.util.function.BiConsumer;

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

    record Required(String field, Text text) {}

    record Measured(String path, Range range) {}

    private static final List<Required> START_REQUIRED = List.of(
            new Required("trace_id", Text.ID),
            new Required("span_id", Text.ID),
            new Required("operation_name", Text.NAME),
            new Required("service_name", Text.NAME),
            new Required("start_time", Text.TIME));
    private static final List<Required> UPDATE_REQUIRED = List.of(
            new Required("trace_id", Text.ID),
            new Required("span_id", Text.ID),
            new Required("update_timestamp", Text.TIME),
            new Required("status", Text.NAME));
    private static final List<Required> COMPLETE_REQUIRED = List.of(
            new Required("trace_id", Text.ID),
            new Required("span_id", Text.ID),
            new Required("completion_timestamp", Text.TIME),
            new Required("status", Text.NAME));
    /** {@code collection_id} is not required: nothing keys on it, {@code message_id} identifies the message. */
    private static final List<Required> METRICS_REQUIRED = List.of(
            new Required("trace_id", Text.ID),
            new Required("span_id", Text.ID),
            new Required("collection_timestamp", Text.TIME));

    private static final List<Measured> START_MEASURED = List.of(
            new Measured("monitoring_configuration.alert_thresholds.duration_ms", Range.NON_NEGATIVE),
            new Measured("monitoring_configuration.alert_thresholds.cpu_usage_percent", Range.PERCENT),
            new Measured("monitoring_configuration.alert_thresholds.memory_usage_mb", Range.NON_NEGATIVE),
            new Measured("monitoring_configuration.alert_thresholds.error_rate_percent", Range.PERCENT),
            new Measured("monitoring_configuration.performance_targets.max_latency_p95_ms", Range.NON_NEGATIVE),
            new Measured("monitoring_configuration.performance_targets.min_throughput_ops_per_sec", Range.NON_NEGATIVE),
            new Measured("monitoring_configuration.performance_targets.max_error_rate_percent", Range.PERCENT));
    private static final List<Measured> UPDATE_MEASURED = List.of(
            new Measured("progress_percentage", Range.PERCENT),
            new Measured("performance_metrics.duration_ms", Range.NON_NEGATIVE),
            new Measured("performance_metrics.system_metrics.cpu_usage_percent", Range.PERCENT),
            new Measured("performance_metrics.system_metrics.memory_usage_mb", Range.NON_NEGATIVE),
            new Measured("performance_metrics.application_metrics.error_rate_percent", Range.PERCENT),
            new Measured("performance_metrics.application_metrics.latency_p95_ms", Range.NON_NEGATIVE),
            new Measured("performance_metrics.application_metrics.throughput_ops_per_sec", Range.NON_NEGATIVE));
    private static final List<Measured> COMPLETE_MEASURED = List.of(
            new Measured("final_metrics.total_duration_ms", Range.NON_NEGATIVE),
            new Measured("final_metrics.peak_cpu_usage_percent", Range.PERCENT),
            new Measured("final_metrics.peak_memory_usage_mb", Range.NON_NEGATIVE),
            new Measured("performance_summary.latency_p95_ms", Range.NON_NEGATIVE),
            new Measured("performance_summary.avg_throughput_ops_per_sec", Range.NON_NEGATIVE),
            new Measured("performance_summary.total_operations", Range.COUNT),
            new Measured("performance_summary.failed_operations", Range.COUNT));
    private static final List<Measured> METRICS_MEASURED = List.of(
            new Measured("system_metrics.cpu.usage_percent", Range.PERCENT),
            new Measured("system_metrics.memory.used_bytes", Range.COUNT),
            new Measured("application_metrics.http.error_rate_percent", Range.PERCENT),
            new Measured("application_metrics.http.response_time_p95_ms", Range.NON_NEGATIVE),
            new Measured("application_metrics.http.requests_per_sec", Range.NON_NEGATIVE));

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
        List<Measured> measured = switch (type) {
            case START -> START_MEASURED;
            case UPDATE -> UPDATE_MEASURED;
            case COMPLETE -> COMPLETE_MEASURED;
            case METRICS -> METRICS_MEASURED;
        };
        for (Measured m : measured) {
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
