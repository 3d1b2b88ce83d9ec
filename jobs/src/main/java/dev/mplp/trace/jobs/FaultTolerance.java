package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The Flink settings of a streaming job's fault tolerance, from its configuration: unaligned checkpoints, the state
 * backend (heap or RocksDB, incremental) and the restart strategy. Set on the job (not the cluster), so that the job
 * behaves as its configuration says on any cluster.
 */
final class FaultTolerance {

    private FaultTolerance() {}

    static Configuration settings(TraceAnalyticsConfig config) {
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, config.checkpointing().unaligned());
        flink.set(StateBackendOptions.STATE_BACKEND, config.state().backend().name().toLowerCase(Locale.ROOT));
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, config.state().incremental());

        TraceAnalyticsConfig.Restart restart = config.restart();
        switch (restart.strategy()) {
            case EXPONENTIAL_DELAY -> {
                flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, restart.delay());
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, restart.maxDelay());
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            }
            case FIXED_DELAY -> {
                flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restart.attempts());
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restart.delay());
            }
            case NONE -> flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        return flink;
    }
}
