package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.DOUBLE;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT64;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING_LIST;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.Exemplar;
import java.util.Arrays;
import java.util.function.Function;

/**
 * {@code alerts/}: every alert record (each incident twice: triggered and resolved), with the same fields as the
 * JSON alert output (an exemplar's ids in two parallel lists). Partitioned by {@code evaluation_timestamp}.
 */
public final class AlertsTable {

    public static final ArchiveTable<Alert> TABLE = ArchiveTable.<Alert>builder(
                    "alerts", 2, alert -> alert.evaluationTimestamp)
            .required("alert_id", STRING, a -> a.alertId)
            .optional("alert_rule_id", STRING, a -> a.alertRuleId)
            .optional("alert_rule_name", STRING, a -> a.alertRuleName)
            .optional("alert_type", STRING, a -> a.alertType)
            .optional("evaluation_result", STRING, a -> a.evaluationResult == null ? null : a.evaluationResult.wireName())
            .optional("severity", STRING, a -> a.severity == null ? null : a.severity.wireName())
            .optional("service_name", STRING, a -> a.serviceName)
            .optional("operation_name", STRING, a -> a.operationName)
            .optional("trace_id", STRING, a -> a.traceId)
            .optional("span_id", STRING, a -> a.spanId)
            .optional("metric", STRING, a -> a.metric)
            .optional("threshold_value", DOUBLE, a -> a.thresholdValue)
            .optional("actual_value", DOUBLE, a -> a.actualValue)
            .optional("baseline_value", DOUBLE, a -> a.baselineValue)
            .optional("deviation_percent", DOUBLE, a -> a.deviationPercent)
            .optional("confidence", DOUBLE, a -> a.confidence)
            .optional("window_start", TIMESTAMP, a -> a.windowStart)
            .optional("window_end", TIMESTAMP, a -> a.windowEnd)
            .required("evaluation_timestamp", TIMESTAMP, a -> a.evaluationTimestamp)
            .required("started_at", TIMESTAMP, a -> a.startedAt)
            .optional("resolution", STRING, a -> a.resolution == null ? null : a.resolution.wireName())
            .optional("alert_message", STRING, a -> a.alertMessage)
            .optional("recommended_actions", STRING_LIST, a -> a.recommendedActions)
            // version 2: the incidents of many spans' breaches
            .optional("breaching_spans", INT64, a -> a.breachingSpans)
            .optional("span_count", INT64, a -> a.spanCount)
            .optional("breach_share", DOUBLE, a -> a.breachShare)
            .optional("exemplar_trace_ids", STRING_LIST, a -> exemplars(a, e -> e.traceId))
            .optional("exemplar_span_ids", STRING_LIST, a -> exemplars(a, e -> e.spanId))
            .build();

    private static String[] exemplars(Alert alert, Function<Exemplar, String> field) {
        return alert.exemplars == null ? new String[0] : Arrays.stream(alert.exemplars).map(field).toArray(String[]::new);
    }

    private AlertsTable() {}
}
