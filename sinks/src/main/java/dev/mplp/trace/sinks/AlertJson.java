package dev.mplp.trace.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.Exemplar;

/**
 * The JSON form of an alert, one line each, as written to the alert outputs. Field names follow the protocol's
 * {@code alert_evaluations} and {@code anomaly_details}; every field is always present, null where it does not
 * apply (see the README's alert schema). Times are ISO-8601 UTC instants; enums are written by their wire names.
 */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {}

    public static String toJson(Alert alert) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("alert_id", alert.alertId);
        node.put("alert_rule_id", alert.alertRuleId);
        node.put("alert_rule_name", alert.alertRuleName);
        node.put("alert_type", alert.alertType);
        node.put("evaluation_result", alert.evaluationResult == null ? null : alert.evaluationResult.wireName());
        node.put("severity", alert.severity == null ? null : alert.severity.wireName());
        node.put("service_name", alert.serviceName);
        node.put("operation_name", alert.operationName);
        node.put("trace_id", alert.traceId);
        node.put("span_id", alert.spanId);
        node.put("metric", alert.metric);
        node.put("threshold_value", alert.thresholdValue);
        node.put("actual_value", alert.actualValue);
        node.put("baseline_value", alert.baselineValue);
        node.put("deviation_percent", alert.deviationPercent);
        node.put("confidence", alert.confidence);
        node.put("window_start", instant(alert.windowStart));
        node.put("window_end", instant(alert.windowEnd));
        node.put("evaluation_timestamp", instant(alert.evaluationTimestamp));
        node.put("started_at", instant(alert.startedAt));
        node.put("resolution", alert.resolution == null ? null : alert.resolution.wireName());
        node.put("alert_message", alert.alertMessage);
        ArrayNode actions = node.putArray("recommended_actions");
        if (alert.recommendedActions != null) {
            for (String action : alert.recommendedActions) {
                actions.add(action);
            }
        }
        node.put("breaching_spans", alert.breachingSpans);
        node.put("span_count", alert.spanCount);
        node.put("breach_share", alert.breachShare);
        ArrayNode exemplars = node.putArray("exemplars");
        if (alert.exemplars != null) {
            for (Exemplar exemplar : alert.exemplars) {
                ObjectNode span = exemplars.addObject();
                span.put("trace_id", exemplar.traceId);
                span.put("span_id", exemplar.spanId);
                span.put("actual_value", exemplar.actualValue);
                span.put("threshold_value", exemplar.thresholdValue);
                span.put("event_time", JsonTimes.format(exemplar.eventTime));
                span.put("trace_url", exemplar.traceUrl);
            }
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an alert as JSON", e);
        }
    }

    private static String instant(Long epochMillis) {
        return epochMillis == null ? null : JsonTimes.format(epochMillis);
    }
}
