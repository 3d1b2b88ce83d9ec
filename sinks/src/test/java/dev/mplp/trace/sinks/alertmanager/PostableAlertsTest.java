package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PostableAlertsTest {

    private static final Instant STARTED = Instant.parse("2025-09-03T10:02:25Z");
    private static final Instant RESOLVED = Instant.parse("2025-09-03T10:05:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RESEND = Duration.ofMinutes(1);
    private static final PostableAlerts DEFAULTS = new PostableAlerts(ConfigLoader.defaults().alertmanager());

    @Test
    void aTriggeredAlertFiresWithLabelsThatNameTheIncidentAndEndsFourResendIntervalsFromNow() {
        ObjectNode postable = DEFAULTS.of(TestAlerts.triggered("id-1", Severity.CRITICAL, STARTED), NOW);

        assertThat(postable.path("labels").properties()).extracting(e -> e.getKey() + "=" + e.getValue().asText())
                .containsExactlyInAnyOrder(
                        "alertname=threshold_breach",
                        "severity=critical",
                        "service=checkout",
                        "operation=charge",
                        "metric=cpu_usage_percent",
                        "alert_rule_id=threshold.cpu_usage_percent",
                        "alert_id=id-1",
                        "source=trace-analytics");
        assertThat(postable.path("annotations").path("summary").asText()).contains("CPU usage 95.0 %");
        assertThat(postable.path("annotations").path("recommended_actions").asText())
                .isEqualTo("Check the service's load\nScale out");
        assertThat(postable.path("annotations").path("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(postable.path("annotations").path("threshold_value").asText()).isEqualTo("80.0");
        assertThat(postable.path("startsAt").asText()).isEqualTo(STARTED.toString());
        assertThat(postable.path("endsAt").asText()).isEqualTo(NOW.plus(RESEND.multipliedBy(4)).toString());
    }

    @Test
    void aResolvedAlertEndsWhenItWasResolvedWithTheSameLabels() {
        Alert triggered = TestAlerts.triggered("id-1", Severity.WARNING, STARTED);
        ObjectNode firing = DEFAULTS.of(triggered, NOW);
        ObjectNode resolved = DEFAULTS.of(TestAlerts.resolved(triggered, RESOLVED), NOW);

        assertThat(resolved.path("labels")).isEqualTo(firing.path("labels"));
        assertThat(resolved.path("startsAt").asText()).isEqualTo(STARTED.toString());
        assertThat(resolved.path("endsAt").asText()).isEqualTo(RESOLVED.toString());
        assertThat(resolved.path("annotations").path("resolution").asText()).isEqualTo("recovered");
    }

    @Test
    void aResolutionAheadOfTheClockEndsNowSoThatAlertmanagerShowsItResolved() {
        Instant clock = STARTED.plusSeconds(10);
        Alert triggered = TestAlerts.triggered("id-1", Severity.WARNING, STARTED);

        ObjectNode resolved = DEFAULTS.of(TestAlerts.resolved(triggered, RESOLVED), clock);

        assertThat(resolved.path("endsAt").asText()).isEqualTo(clock.toString());
    }

    @Test
    void anIncidentStartedAheadOfTheClockStartsNoLaterThanItEnds() {
        Instant clock = STARTED.minusSeconds(60);
        Alert triggered = TestAlerts.triggered("id-1", Severity.WARNING, STARTED);

        ObjectNode resolved = DEFAULTS.of(TestAlerts.resolved(triggered, RESOLVED), clock);

        assertThat(resolved.path("startsAt").asText()).isEqualTo(clock.toString());
        assertThat(resolved.path("endsAt").asText()).isEqualTo(clock.toString());
    }

    @Test
    void externalLabelsNeverReplaceTheAlertsOwnAndLinksAreFilledPerRuleWithEncodedValues() {
        PostableAlerts configured = new PostableAlerts(ConfigLoader.load(null, java.util.Map.of(
                "alertmanager.external-labels", "{cluster: prod-eu-1, service: not-the-alerts}",
                "alertmanager.generator-url", "https://g/explore?trace={trace_id}&from={started_at}",
                "alertmanager.annotations", "[{alert-rule-id: '~baseline\\..*', annotations: {runbook_url: 'https://rb/b'}},"
                        + " {service: checkout, operation: {exclude: [refund]}, annotations: {runbook_url: "
                        + "'https://rb/{alert_rule_id}', owner: 'payments team'}}]")).alertmanager());
        Alert charge = TestAlerts.triggered("id-1", Severity.WARNING, STARTED);
        Alert refund = TestAlerts.triggered("id-2", Severity.WARNING, STARTED);
        refund.operationName = "refund";

        ObjectNode postable = configured.of(charge, NOW);

        assertThat(postable.path("labels").path("cluster").asText()).isEqualTo("prod-eu-1");
        assertThat(postable.path("labels").path("service").asText()).isEqualTo("checkout");
        assertThat(postable.path("generatorURL").asText())
                .isEqualTo("https://g/explore?trace=4bf92f3577b34da6a3ce929d0e0e4736&from=2025-09-03T10%3A02%3A25.000Z");
        assertThat(postable.path("annotations").path("runbook_url").asText())
                .isEqualTo("https://rb/threshold.cpu_usage_percent");
        assertThat(postable.path("annotations").path("owner").asText()).isEqualTo("payments team");
        assertThat(configured.of(refund, NOW).path("annotations").has("runbook_url")).isFalse();
        assertThat(DEFAULTS.of(charge, NOW).has("generatorURL")).isFalse();
    }
}
