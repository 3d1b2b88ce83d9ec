package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigException;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

/** The job's checkpointing options, state backend and restart strategy come from its configuration. */
class FaultToleranceTest {

    @Test
    void theDefaultsAreTheHeapBackendAlignedCheckpointsAndExponentialRestarts() {
        Configuration flink = FaultTolerance.settings(ConfigLoader.load(null, Map.of()));

        assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(flink.get(CheckpointingOptions.ENABLE_UNALIGNED)).isFalse();
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void rocksDbIncrementalUnalignedAndFixedDelayRestartsAreSettings() {
        Configuration flink = FaultTolerance.settings(ConfigLoader.load(null, Map.of(
                "state.backend", "rocksdb",
                "state.incremental", "true",
                "checkpointing.unaligned", "true",
                "restart.strategy", "fixed-delay",
                "restart.attempts", "4",
                "restart.delay", "3s")));

        assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(flink.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(flink.get(CheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(4);
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aBatchRunRestartsAsConfiguredButAFailureThatRepeatsEndsIt() {
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of("restart.attempts", "3"));

        Configuration batch = FaultTolerance.batchSettings(config);

        assertThat(batch.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(batch.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(3);
        assertThat(FaultTolerance.settings(config).get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .as("a streaming job keeps restarting")
                .isEqualTo(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS.defaultValue());
    }

    @Test
    void noRestartsFailsTheJobAtTheFirstFailure() {
        Configuration flink = FaultTolerance.settings(ConfigLoader.load(null, Map.of("restart.strategy", "none")));

        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
    }

    @Test
    void anUnknownBackendOrStrategyIsAConfigurationError() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("state.backend", "memory")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.backend");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("restart.strategy", "failure-rate")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("restart.strategy");
    }
}
