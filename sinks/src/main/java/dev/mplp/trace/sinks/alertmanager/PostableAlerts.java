package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.time.Duration;
import java.time.Instant;

/**
 * An alert in the form Alertmanager's v2 API takes ({@code postableAlert}): labels that identify the incident, the
 * same on every post of it (Alertmanager deduplicates and resolves by the label set), annotations for people.
 *
 * <p>A triggered alert is firing until {@value #FIRING_INTERVALS} resend intervals from now; it is posted again
 * every interval while open, so it stays firing while the job runs, and ends by itself if the job stops (as
 * Prometheus does). A resolved alert ends at the event time it was resolved, or now if that is later than now
 * (generated traffic can lie ahead of the clock), so that Alertmanager shows it resolved at once.
 */
public final class PostableAlerts {

    static final int FIRING_INTERVALS = 4;
    static final String SOURCE = "trace-analytics";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PostableAlerts() {}

    public static ObjectNode of(Alert alert, Instant now, Duration resendInterval) {
        ObjectNode postable = MAPPER.createObjectNode();
        ObjectNode labels = postable.putObject("labels");
        label(labels, "alertname", alert.alertType);
        label(labels, "severity", alert.severity == null ? null : alert.severity.wireName());
        label(labels, "service", alert.serviceName);
        label(labels, "operation", alert.operationName);
        label(labels, "metric", alert.metric);
        label(labels, "alert_rule_id", alert.alertRuleId);
        label(labels, "alert_id", alert.alertId);
        label(labels, "source", SOURCE);

        ObjectNode annotations = postable.putObject("annotations");
        label(annotations, "summary", alert.alertMessage);
        if (alert.recommendedActions != null && alert.recommendedActions.length > 0) {
            annotations.put("recommended_actions", String.join("\n", alert.recommendedActions));
        }
        label(annotations, "alert_rule_name", alert.alertRuleName);
        label(annotations, "trace_id", alert.traceId);
        label(annotations, "span_id", alert.spanId);
        number(annotations, "threshold_value", alert.thresholdValue);
        number(annotations, "actual_value", alert.actualValue);
        number(annotations, "baseline_value", alert.baselineValue);
        number(annotations, "deviation_percent", alert.deviationPercent);
        label(annotations, "evaluation_timestamp", dev.mplp.trace.sinks.JsonTimes.format(alert.evaluationTimestamp));
        label(annotations, "resolution", alert.resolution == null ? null : alert.resolution.wireName());

        Instant endsAt = alert.evaluationResult == AlertState.RESOLVED
                ? min(Instant.ofEpochMilli(alert.evaluationTimestamp), now)
                : now.plus(resendInterval.multipliedBy(FIRING_INTERVALS));
        Instant startsAt = min(Instant.ofEpochMilli(alert.startedAt), endsAt);
        postable.put("startsAt", startsAt.toString());
        postable.put("endsAt", endsAt.toString());
        return postable;
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Alertmanager drops empty labels; absent and empty are the same to it. */
    private static void label(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }

    private static void number(ObjectNode node, String name, Double value) {
        if (value != null) {
            node.put(name, String.valueOf(value));
        }
    }
}
