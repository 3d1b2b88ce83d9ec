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
}
