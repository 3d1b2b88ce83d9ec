package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Flink's own settings of the configuration reach Flink unchanged; the parallelism only where it is configured. */
class EnvironmentsTest {

    private final PrintStream console = new PrintStream(new ByteArrayOutputStream());

    @Test
    void theDefaultsAreTheHeapBackendAlignedCheckpointsAndExponentialRestarts() {
        StreamExecutionEnvironment env = Environments.create(ConfigLoader.defaults(), console);

        assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000);
        assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isFalse();
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getParallelism()).as("embedded, nothing configured").isEqualTo(Environments.EMBEDDED_PARALLELISM);
    }

    @Test
    void flinksKeysArePassedUnchanged() {
        StreamExecutionEnvironment env = Environments.create(ConfigLoader.load(null, Map.of(
                        "state.backend.type", "rocksdb",
                        "execution.checkpointing.unaligned.enabled", "true",
                        "execution.checkpointing.interval", "3s",
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.attempts", "4",
                        "parallelism.default", "3")),
                console);

        assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(env.getConfiguration().get(CheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(3_000);
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(4);
        assertThat(env.getParallelism()).isEqualTo(3);
    }

    @Test
    void aBatchRunIsNotCheckpointedAndAFailureThatRepeatsEndsIt() {
        StreamExecutionEnvironment batch =
                Environments.create(ConfigLoader.defaults(), console, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment streaming = Environments.create(ConfigLoader.defaults(), console);

        assertThat(batch.getCheckpointConfig().isCheckpointingEnabled()).isFalse();
        assertThat(batch.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(FaultTolerance.BATCH_RESTARTS);
        assertThat(streaming.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .as("a streaming job keeps restarting")
                .isEqualTo(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS.defaultValue());
        assertThat(Environments.create(ConfigLoader.load(null, Map.of(
                                "restart-strategy.exponential-delay.attempts-before-reset-backoff", "3")),
                        console, RuntimeExecutionMode.BATCH)
                .getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(3);
    }
}
