package dev.mplp.trace.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * What a batch reprocessing run adds to the configured restart strategy: it must end, so a failure that repeats (a
 * file that cannot be read) fails it after a bounded number of restarts even with {@code exponential-delay}, which
 * streaming jobs retry without limit.
 */
final class FaultTolerance {

    /** Restarts of a batch run with {@code exponential-delay} unless the configuration bounds them itself. */
    static final int BATCH_RESTARTS = 10;

    private FaultTolerance() {}

    /** @param flink the job's Flink settings */
    static Configuration batchSettings(Configuration flink) {
        Configuration batch = new Configuration();
        if (!flink.contains(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)) {
            batch.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, BATCH_RESTARTS);
        }
        return batch;
    }
}
