package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.config.NameMatcher;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.config.UrlTemplate;
import dev.mplp.trace.sinks.JsonTimes;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert in the form Alertmanager's v2 API takes ({@code postableAlert}): labels that identify the incident, the
 * same on every post of it (Alertmanager deduplicates and resolves by the label set), annotations for people.
 *
 * <p>A triggered alert is firing until {@value #FIRING_INTERVALS} resend intervals from now; it is posted again
 * every interval while open, so it stays firing while the job runs, and ends by itself if the job stops (as
 * Prometheus does). A resolved alert ends at the event time it was resolved, or now if that is later than now
 * (generated traffic can lie ahead of the clock), so that Alertmanager shows it resolved at once.
 *
 * <p>From the configuration ({@code alertmanager.*}): the external labels (never replacing the alert's own), the
 * {@code generatorURL} template, and the annotations per rule, after the built-in ones.
 */
public final class PostableAlerts implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int FIRING_INTERVALS = 4;
    static final String SOURCE = "trace-analytics";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Duration resendInterval;
    private final UrlTemplate generatorUrl;
    private final Map<String, String> externalLabels;
    private final List<TraceAnalyticsConfig.AlertmanagerAnnotations> annotations;

    public PostableAlerts(TraceAnalyticsConfig.Alertmanager settings) {
        this.resendInterval = settings.resendInterval();
        this.generatorUrl = new UrlTemplate(settings.generatorUrl());
        this.externalLabels = new TreeMap<>(settings.externalLabels());
        this.annotations = List.copyOf(settings.annotations());
    }

    public ObjectNode of(Alert alert, Instant now) {
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
        // as Prometheus's external labels: they never replace a label of the alert's own
        externalLabels.forEach((name, value) -> {
            if (!labels.has(name)) {
                label(labels, name, value);
            }
        });

        ObjectNode annotationsNode = postable.putObject("annotations");
        label(annotationsNode, "summary", alert.alertMessage);
        if (alert.recommendedActions != null && alert.recommendedActions.length > 0) {
            annotationsNode.put("recommended_actions", String.join("\n", alert.recommendedActions));
        }
        label(annotationsNode, "alert_rule_name", alert.alertRuleName);
        label(annotationsNode, "trace_id", alert.traceId);
        label(annotationsNode, "span_id", alert.spanId);
        number(annotationsNode, "threshold_value", alert.thresholdValue);
        number(annotationsNode, "actual_value", alert.actualValue);
        number(annotationsNode, "baseline_value", alert.baselineValue);
        number(annotationsNode, "deviation_percent", alert.deviationPercent);
        label(annotationsNode, "evaluation_timestamp", JsonTimes.format(alert.evaluationTimestamp));
        label(annotationsNode, "resolution", alert.resolution == null ? null : alert.resolution.wireName());
        Map<String, String> values = templateValues(alert);
        for (TraceAnalyticsConfig.AlertmanagerAnnotations entry : annotations) {
            if (entry.appliesTo(alert.serviceName, alert.operationName)
                    && NameMatcher.matches(entry.alertType(), alert.alertType)
                    && NameMatcher.matches(entry.alertRuleId(), alert.alertRuleId)) {
                entry.annotations().forEach((name, template) -> {
                    if (!annotationsNode.has(name)) {
                        label(annotationsNode, name, new UrlTemplate(template).render(values));
                    }
                });
            }
        }

        Instant endsAt = alert.evaluationResult == AlertState.RESOLVED
                ? min(Instant.ofEpochMilli(alert.evaluationTimestamp), now)
                : now.plus(resendInterval.multipliedBy(FIRING_INTERVALS));
        Instant startsAt = min(Instant.ofEpochMilli(alert.startedAt), endsAt);
        postable.put("startsAt", startsAt.toString());
        postable.put("endsAt", endsAt.toString());
        if (!generatorUrl.isEmpty()) {
            postable.put("generatorURL", generatorUrl.render(values));
        }
        return postable;
    }

    /** The values of {@link UrlTemplate#ALERT_FIELDS} for one alert. */
    static Map<String, String> templateValues(Alert alert) {
        Map<String, String> values = new HashMap<>();
        values.put("alert_id", alert.alertId);
        values.put("alert_type", alert.alertType);
        values.put("alert_rule_id", alert.alertRuleId);
        values.put("severity", alert.severity == null ? null : alert.severity.wireName());
        values.put("service", alert.serviceName);
        values.put("operation", alert.operationName);
        values.put("metric", alert.metric);
        values.put("trace_id", alert.traceId);
        values.put("span_id", alert.spanId);
        values.put("started_at", JsonTimes.format(alert.startedAt));
        values.put("started_at_ms", String.valueOf(alert.startedAt));
        values.put("evaluation_timestamp", JsonTimes.format(alert.evaluationTimestamp));
        values.put("evaluation_timestamp_ms", String.valueOf(alert.evaluationTimestamp));
        return values;
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
