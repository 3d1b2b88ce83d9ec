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
}
