package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code alertmanager:} section of the configuration. */
class AlertmanagerConfigTest {

    @Test
    void defaultsBatchRetryAndResendAsDocumented() {
        TraceAnalyticsConfig.Alertmanager alertmanager = ConfigLoader.defaults().alertmanager();

        assertThat(alertmanager.batchSize()).isEqualTo(100);
        assertThat(alertmanager.batchDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(alertmanager.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(alertmanager.retries()).isEqualTo(5);
        assertThat(alertmanager.retryBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(alertmanager.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesAnEmptyBatchAndNegativeRetries() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("alertmanager.batch-size", "0")))
                .hasMessageContaining("alertmanager.batch-size");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("alertmanager.retries", "-1")))
                .hasMessageContaining("alertmanager.retries");
    }

    @Test
    void externalLabelsAreTheUsersOwnKeysAndAnnotationsAndLinksAreReadPerRule() {
        TraceAnalyticsConfig.Alertmanager alertmanager = ConfigLoader.load(null, Map.of(
                "alertmanager.external-labels", "{cluster: prod-eu-1, environment: production}",
                "alertmanager.generator-url", "https://grafana.example.com/d/x?var-service={service}",
                "alertmanager.annotations",
                "[{alert-rule-id: \"~threshold\\\\..*\", annotations: {runbook_url: 'https://rb/{alert_rule_id}'}}]"))
                .alertmanager();

        assertThat(alertmanager.externalLabels()).containsEntry("cluster", "prod-eu-1").hasSize(2);
        assertThat(alertmanager.generatorUrl()).isEqualTo("https://grafana.example.com/d/x?var-service={service}");
        TraceAnalyticsConfig.AlertmanagerAnnotations entry = alertmanager.annotations().get(0);
        assertThat(entry.alertRuleId().matches("threshold.cpu_usage_percent")).isTrue();
        assertThat(entry.alertRuleId().matches("baseline.latency_p95_ms")).isFalse();
        assertThat(entry.annotations()).containsEntry("runbook_url", "https://rb/{alert_rule_id}");
    }

    @Test
    void refusesUnknownPlaceholdersBadLabelNamesAndTwoKindsOfAuthentication() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("alertmanager.generator-url", "https://g/{svc}")))
                .hasMessageContaining("alertmanager.generator-url: unknown placeholder {svc}")
                .hasMessageContaining("{service}");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
                        "alertmanager.annotations", "[{annotations: {dashboard: 'https://g/{span}'}}]")))
                .hasMessageContaining("alertmanager.annotations[0].annotations.dashboard: unknown placeholder {span}");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("alertmanager.external-labels", "{data-center: x}")))
                .hasMessageContaining("'data-center' is not a label name");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
                        "alertmanager.basic-auth.username", "am", "alertmanager.bearer-token-file", "/run/token")))
                .hasMessageContaining("exclude each other");
    }
}
