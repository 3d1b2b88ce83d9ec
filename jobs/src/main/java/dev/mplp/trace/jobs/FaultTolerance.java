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

        restartStrategy(config.restart(), flink);
        return flink;
    }

    /**
     * The restart strategy of a batch reprocessing run: the configured one, so that a lost TaskManager or a
     * storage hiccup reruns the failed stage instead of failing a long run, but never without a limit: a failure
     * that repeats (a file that cannot be read) must end the run, after {@code restart.attempts} tries.
     */
    static Configuration batchSettings(TraceAnalyticsConfig config) {
        Configuration flink = new Configuration();
        restartStrategy(config.restart(), flink);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, config.restart().attempts());
        return flink;
    }

    private static void restartStrategy(TraceAnalyticsConfig.Restart restart, Configuration flink) {
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
    }
}
