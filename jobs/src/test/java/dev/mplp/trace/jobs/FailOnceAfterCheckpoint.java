package dev.mplp.trace.jobs;

import dev.mplp.trace.records.RawMessage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * An injected failure: passes records through (slowly, so that checkpoints complete mid-input) and throws once, in
 * one subtask, after a checkpoint has completed and enough records have passed; the restarted job restores that
 * checkpoint. The flags are static: the test's MiniCluster runs in the test's JVM and class loader, and they must
 * outlive the failed task.
 */
final class FailOnceAfterCheckpoint implements MapFunction<RawMessage, RawMessage>, CheckpointListener,
        CheckpointedFunction {

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean RESTORED = new AtomicBoolean();
    static final AtomicLong CHECKPOINT_BEFORE_FAILURE = new AtomicLong();

    private final long recordsBeforeFailure;
    private final long sleepMillisPerRecord;
    private long seen;
    private long completedCheckpoint;

    FailOnceAfterCheckpoint(long recordsBeforeFailure, long sleepMillisPerRecord) {
        this.recordsBeforeFailure = recordsBeforeFailure;
        this.sleepMillisPerRecord = sleepMillisPerRecord;
    }

    /** Settings that restart the failed job (twice at most, after 200 ms), so that it restores its checkpoint. */
    static Configuration restarts() {
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return restarts;
    }

    static void reset() {
        FAILED.set(false);
        RESTORED.set(false);
        CHECKPOINT_BEFORE_FAILURE.set(0);
    }

    @Override
    public RawMessage map(RawMessage message) throws Exception {
        Thread.sleep(sleepMillisPerRecord);
        if (++seen >= recordsBeforeFailure && completedCheckpoint > 0 && FAILED.compareAndSet(false, true)) {
            CHECKPOINT_BEFORE_FAILURE.set(completedCheckpoint);
            throw new IllegalStateException("injected failure after checkpoint " + completedCheckpoint);
        }
        return message;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completedCheckpoint = checkpointId;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // no state of its own: the source's position is what the restore rewinds
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        if (context.isRestored()) {
            RESTORED.set(true);
        }
    }
}
