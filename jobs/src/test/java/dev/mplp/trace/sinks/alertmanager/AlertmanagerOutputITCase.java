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
    private static AlertmanagerServer secondAlertmanager;

    @BeforeAll
    static void startAlertmanagers() {
        alertmanager = AlertmanagerServer.started();
        secondAlertmanager = AlertmanagerServer.started();
    }

    @AfterAll
    static void stopAlertmanagers() {
        for (AlertmanagerServer server : new AlertmanagerServer[] {alertmanager, secondAlertmanager}) {
            if (server != null) {
                server.close();
            }
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

        run(List.of(cpu, memory, latency), CONFIG, alertmanager);

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
        run(List.of(TestAlerts.resolved(memory, RESOLVED), cpu), CONFIG, alertmanager);

        assertThat(firingById()).containsOnlyKeys("incident-cpu", "incident-latency");
    }

    @Test
    void anAlertAlertmanagerRefusesFailsAtOnceWithItsAnswer() {
        Alert backwards = TestAlerts.triggered("incident-backwards", Severity.WARNING, STARTED);
        var batch = PostableAlerts.array();
        var postable = new PostableAlerts(CONFIG.alertmanager()).of(backwards, Instant.now());
        // an end before the start is a request Alertmanager refuses (HTTP 400)
        postable.put("endsAt", STARTED.minusSeconds(60).toString());
        batch.add(postable);
        List<Duration> waits = new ArrayList<>();
        AlertmanagerClient client = new AlertmanagerClient(
                new AlertmanagerLocation(alertmanager.url()), 3, Duration.ofMillis(100), Duration.ofSeconds(5),
                backoff -> {
                    waits.add(backoff);
                    return Runnable::run;
                });

        assertThatThrownBy(() -> client.post(batch))
                .isInstanceOf(AlertmanagerClient.Refused.class)
                .hasMessageContaining("HTTP 400");
        assertThat(waits).isEmpty();
    }

    @Test
    void everyAlertReachesBothAlertmanagersGroupedWithItsLinksAnnotationsAndTheClustersLabels() throws Exception {
        TraceAnalyticsConfig linked = ConfigLoader.load(null, Map.of(
                "parallelism.default", "1",
                "alertmanager.retries", "1",
                "alertmanager.external-labels", "{cluster: prod-eu-1, environment: production}",
                "alertmanager.generator-url",
                "https://grafana.example.com/d/trace-analytics?var-service={service}&var-operation={operation}"
                        + "&from={started_at_ms}",
                "alertmanager.annotations", "[{alert-type: performance_degradation, annotations: {runbook_url: "
                        + "'https://runbooks.example.com/degradation'}}, {annotations: {runbook_url: "
                        + "'https://runbooks.example.com/{alert_type}', dashboard: "
                        + "'https://grafana.example.com/d/svc?var-service={service}'}}]"));
        Alert charge = TestAlerts.triggered("linked-charge", Severity.CRITICAL, STARTED);
        Alert refund = TestAlerts.triggered("linked-refund", Severity.WARNING, STARTED.plusSeconds(5));
        refund.operationName = "refund";
        Alert search = TestAlerts.triggered("linked-search", Severity.WARNING, STARTED.plusSeconds(10));
        search.alertType = "performance_degradation";
        search.alertRuleId = "baseline.latency_p95_ms";
        search.serviceName = "catalog";
        search.operationName = "search products";
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        // a third Alertmanager that is down does not keep the alerts from the two that are up
        run(List.of(charge, refund, search), linked, alertmanager, secondAlertmanager,
                AlertmanagerLocation.parse("http://127.0.0.1:" + closedPort));

        for (AlertmanagerServer server : List.of(alertmanager, secondAlertmanager)) {
            Map<String, JsonNode> firing = firingById(server);
            assertThat(firing).containsKeys("linked-charge", "linked-refund", "linked-search");
            JsonNode searchAlert = firing.get("linked-search");
            assertThat(searchAlert.path("labels").path("cluster").asText()).isEqualTo("prod-eu-1");
            assertThat(searchAlert.path("labels").path("environment").asText()).isEqualTo("production");
            assertThat(searchAlert.path("generatorURL").asText()).isEqualTo(
                    "https://grafana.example.com/d/trace-analytics?var-service=catalog&var-operation=search%20products"
                            + "&from=" + search.startedAt);
            // the first entry that gives an annotation wins; the others add what it leaves out
            assertThat(searchAlert.path("annotations").path("runbook_url").asText())
                    .isEqualTo("https://runbooks.example.com/degradation");
            assertThat(searchAlert.path("annotations").path("dashboard").asText())
                    .isEqualTo("https://grafana.example.com/d/svc?var-service=catalog");
            assertThat(firing.get("linked-charge").path("annotations").path("runbook_url").asText())
                    .isEqualTo("https://runbooks.example.com/threshold_breach");

            Map<String, List<String>> groups = new TreeMap<>();
            server.alertGroups().forEach(group -> {
                List<String> ids = new ArrayList<>();
                group.path("alerts").forEach(alert -> ids.add(alert.path("labels").path("alert_id").asText()));
                groups.put(group.path("labels").toString(), ids);
            });
            assertThat(groups).containsEntry(
                    "{\"alertname\":\"threshold_breach\",\"cluster\":\"prod-eu-1\",\"operation\":\"charge\","
                            + "\"service\":\"checkout\"}", List.of("linked-charge"));
            assertThat(groups).containsEntry(
                    "{\"alertname\":\"threshold_breach\",\"cluster\":\"prod-eu-1\",\"operation\":\"refund\","
                            + "\"service\":\"checkout\"}", List.of("linked-refund"));
        }
    }

    private static void run(List<Alert> alerts, TraceAnalyticsConfig config, Object... alertmanagers)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(config.flink().parallelism().orElseThrow());
        List<AlertmanagerLocation> locations = new ArrayList<>();
        for (Object target : alertmanagers) {
            locations.add(target instanceof AlertmanagerServer server
                    ? new AlertmanagerLocation(server.url()) : (AlertmanagerLocation) target);
        }
        AlertmanagerOutput.attach(
                env.fromData(alerts, TypeInformation.of(Alert.class)).name("alerts"), locations, config.alertmanager());
        env.execute("alertmanager-output");
    }

    /** The incidents of the first test (the other test posts to the same Alertmanager). */
    private static Map<String, JsonNode> firingById() {
        Map<String, JsonNode> byId = firingById(alertmanager);
        byId.keySet().removeIf(id -> !id.startsWith("incident-"));
        return byId;
    }

    private static Map<String, JsonNode> firingById(AlertmanagerServer server) {
        Map<String, JsonNode> byId = new TreeMap<>();
        server.activeAlerts().forEach(alert -> byId.put(alert.path("labels").path("alert_id").asText(), alert));
        return byId;
    }
}
