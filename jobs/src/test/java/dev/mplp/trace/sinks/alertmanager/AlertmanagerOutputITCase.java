package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.testing.AlertmanagerServer;
import dev.mplp.trace.testing.MiniClusters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Alertmanager output of a job against a real Alertmanager: what it holds after each run is exactly the
 * incidents still open, with the labels and annotations the output promises.
 */
class AlertmanagerOutputITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant RESOLVED = STARTED.plus(Duration.ofMinutes(5));
    /** Two alerts per batch: three alerts take two requests, and a checkpoint's flush sends the rest. */
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of(
            "alertmanager.batch-size", "2", "parallelism.default", "2", "execution.checkpointing.interval", "1s"));

    private static AlertmanagerServer alertmanager;

    @BeforeAll
    static void startAlertmanager() {
        alertmanager = AlertmanagerServer.started();
    }

    @AfterAll
    static void stopAlertmanager() {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    void triggeredAlertsFireAndResolvedOnesAreResolvedInAlertmanager() throws Exception {
        Alert cpu = TestAlerts.triggered("incident-cpu", Severity.CRITICAL, STARTED);
        Alert memory = TestAlerts.triggered("incident-memory", Severity.WARNING, STARTED.plusSeconds(30));
        memory.alertRuleId = "threshold.memory_usage_mb";
        memory.metric = "memory_usage_mb";
        Alert latency = TestAlerts.triggered("incident-latency", Severity.WARNING, STARTED.plusSeconds(60));
        latency.alertType = "performance_degradation";
        latency.alertRuleId = "baseline.latency_p95_ms";
        latency.metric = "latency_p95_ms";
        latency.spanId = null;

        run(List.of(cpu, memory, latency));

        assertThat(firingById()).containsOnlyKeys("incident-cpu", "incident-memory", "incident-latency");
        JsonNode firingCpu = firingById().get("incident-cpu");
        assertThat(firingCpu.path("labels").path("alertname").asText()).isEqualTo("threshold_breach");
        assertThat(firingCpu.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(firingCpu.path("labels").path("service").asText()).isEqualTo(TestAlerts.SERVICE);
        assertThat(firingCpu.path("labels").path("operation").asText()).isEqualTo(TestAlerts.OPERATION);
        assertThat(firingCpu.path("labels").path("alert_rule_id").asText()).isEqualTo("threshold.cpu_usage_percent");
        assertThat(firingCpu.path("annotations").path("summary").asText()).isEqualTo(cpu.alertMessage);
        assertThat(firingCpu.path("annotations").path("recommended_actions").asText())
                .isEqualTo(String.join("\n", cpu.recommendedActions));
        assertThat(Instant.parse(firingCpu.path("startsAt").asText())).isEqualTo(STARTED);
        assertThat(firingCpu.path("status").path("state").asText()).isEqualTo("active");

        // a later run resolves one incident and re-sends another as it was (at-least-once: no second alert)
        run(List.of(TestAlerts.resolved(memory, RESOLVED), cpu));

        assertThat(firingById()).containsOnlyKeys("incident-cpu", "incident-latency");
        assertThat(alertmanager.activeAlerts()).hasSize(2);
    }

    @Test
    void anAlertAlertmanagerRefusesFailsAtOnceWithItsAnswer() {
        Alert backwards = TestAlerts.triggered("incident-backwards", Severity.WARNING, STARTED);
        var batch = PostableAlerts.array();
        var postable = PostableAlerts.of(backwards, Instant.now(), Duration.ofMinutes(1));
        // an end before the start is a request Alertmanager refuses (HTTP 400)
        postable.put("endsAt", STARTED.minusSeconds(60).toString());
        batch.add(postable);
        List<Duration> waits = new ArrayList<>();
        AlertmanagerClient client = new AlertmanagerClient(
                new AlertmanagerLocation(alertmanager.url()), 3, Duration.ofMillis(100), Duration.ofSeconds(5),
                waits::add);

        assertThatThrownBy(() -> client.post(batch))
                .isInstanceOf(AlertmanagerClient.Refused.class)
                .hasMessageContaining("HTTP 400");
        assertThat(waits).isEmpty();
    }

    private static void run(List<Alert> alerts) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(CONFIG.flink().parallelism().orElseThrow());
        AlertmanagerOutput.attach(
                env.fromData(alerts, TypeInformation.of(Alert.class)).name("alerts"),
                new AlertmanagerLocation(alertmanager.url()),
                CONFIG.alertmanager());
        env.execute("alertmanager-output");
    }

    private static Map<String, JsonNode> firingById() {
        Map<String, JsonNode> byId = new TreeMap<>();
        alertmanager.activeAlerts().forEach(alert -> byId.put(alert.path("labels").path("alert_id").asText(), alert));
        return byId;
    }
}
