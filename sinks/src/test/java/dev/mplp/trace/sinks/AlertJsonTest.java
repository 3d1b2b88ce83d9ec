package dev.mplp.trace.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Exemplar;
import dev.mplp.trace.records.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private static final Instant STARTED = Instant.parse("2025-09-03T10:02:25Z");
    private static final Instant RESOLVED = Instant.parse("2025-09-03T10:03:10.500Z");

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesOneLineOfSnakeCaseJsonWithIsoTimesAndWireNames() throws Exception {
        String json = AlertJson.toJson(resolvedLatencyAlert());

        assertThat(json).doesNotContain("\n");
        JsonNode node = mapper.readTree(json);
        assertThat(node.fieldNames()).toIterable().containsExactly(
                "alert_id", "alert_rule_id", "alert_rule_name", "alert_type", "evaluation_result", "severity",
                "service_name", "operation_name", "trace_id", "span_id", "metric", "threshold_value", "actual_value",
                "baseline_value", "deviation_percent", "confidence", "window_start", "window_end", "evaluation_timestamp",
                "started_at", "resolution", "alert_message", "recommended_actions", "breaching_spans", "span_count",
                "breach_share", "exemplars");
        assertThat(node.get("breaching_spans").isNull()).isTrue();
        assertThat(node.get("exemplars")).isEmpty();
        assertThat(node.get("alert_id").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(node.get("alert_type").asText()).isEqualTo("threshold_breach");
        assertThat(node.get("alert_rule_id").asText()).isEqualTo("target.max_latency_p95_ms");
        assertThat(node.get("evaluation_result").asText()).isEqualTo("resolved");
        assertThat(node.get("severity").asText()).isEqualTo("warning");
        assertThat(node.get("service_name").asText()).isEqualTo("mplp-workflow-service");
        assertThat(node.get("operation_name").isNull()).isTrue();
        assertThat(node.get("metric").asText()).isEqualTo("latency_p95_ms");
        assertThat(node.get("threshold_value").asDouble()).isEqualTo(1500.0);
        assertThat(node.get("actual_value").asDouble()).isEqualTo(1200.0);
        assertThat(node.get("evaluation_timestamp").asText()).isEqualTo("2025-09-03T10:03:10.500Z");
        assertThat(node.get("started_at").asText()).isEqualTo("2025-09-03T10:02:25.000Z");
        assertThat(node.get("resolution").asText()).isEqualTo("span_completed");
        assertThat(node.get("alert_message").asText()).isEqualTo("span completed");
        assertThat(node.get("alert_rule_name").asText()).isEqualTo("Latency p95 target");
        assertThat(node.get("baseline_value").isNull()).isTrue();
        assertThat(node.get("deviation_percent").asDouble()).isEqualTo(-20.0);
        assertThat(node.get("window_start").asText()).isEqualTo("2025-09-03T10:02:00.000Z");
        assertThat(node.get("window_end").asText()).isEqualTo("2025-09-03T10:03:00.000Z");
        assertThat(node.get("recommended_actions")).extracting(JsonNode::asText)
                .containsExactly("Look at the slowest operations");
    }

    @Test
    void aTriggeredAlertHasANullResolution() throws Exception {
        Alert alert = resolvedLatencyAlert();
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.resolution = null;

        JsonNode node = mapper.readTree(AlertJson.toJson(alert));

        assertThat(node.get("evaluation_result").asText()).isEqualTo("triggered");
        assertThat(node.get("resolution").isNull()).isTrue();
        assertThat(List.of(node.get("severity").asText())).containsExactly("warning");
    }

    @Test
    void anIncidentOfManySpansCarriesItsCountsAndExemplarsWithTheirLinks() throws Exception {
        Alert alert = resolvedLatencyAlert();
        alert.traceId = null;
        alert.spanId = null;
        alert.breachingSpans = 12L;
        alert.spanCount = 80L;
        alert.breachShare = 0.15;
        alert.exemplars = new Exemplar[] {Exemplar.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 2400, 1500,
                STARTED.toEpochMilli(), "https://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736")};

        JsonNode node = mapper.readTree(AlertJson.toJson(alert));

        assertThat(node.get("breaching_spans").asLong()).isEqualTo(12);
        assertThat(node.get("span_count").asLong()).isEqualTo(80);
        assertThat(node.get("breach_share").asDouble()).isEqualTo(0.15);
        JsonNode exemplar = node.get("exemplars").get(0);
        assertThat(exemplar.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(exemplar.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(exemplar.get("actual_value").asDouble()).isEqualTo(2400.0);
        assertThat(exemplar.get("threshold_value").asDouble()).isEqualTo(1500.0);
        assertThat(exemplar.get("event_time").asText()).isEqualTo("2025-09-03T10:02:25.000Z");
        assertThat(exemplar.get("trace_url").asText())
                .isEqualTo("https://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736");
    }

    private static Alert resolvedLatencyAlert() {
        Alert alert = new Alert();
        alert.alertId = "0123456789abcdef0123456789abcdef";
        alert.alertType = "threshold_breach";
        alert.alertRuleId = "target.max_latency_p95_ms";
        alert.alertRuleName = "Latency p95 target";
        alert.evaluationResult = AlertState.RESOLVED;
        alert.severity = Severity.WARNING;
        alert.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        alert.spanId = "00f067aa0ba902b7";
        alert.serviceName = "mplp-workflow-service";
        alert.operationName = null;
        alert.metric = "latency_p95_ms";
        alert.thresholdValue = 1500.0;
        alert.actualValue = 1200.0;
        alert.deviationPercent = -20.0;
        alert.windowStart = Instant.parse("2025-09-03T10:02:00Z").toEpochMilli();
        alert.windowEnd = Instant.parse("2025-09-03T10:03:00Z").toEpochMilli();
        alert.recommendedActions = new String[] {"Look at the slowest operations"};
        alert.evaluationTimestamp = RESOLVED.toEpochMilli();
        alert.startedAt = STARTED.toEpochMilli();
        alert.resolution = AlertResolution.SPAN_COMPLETED;
        alert.alertMessage = "span completed";
        return alert;
    }
}
