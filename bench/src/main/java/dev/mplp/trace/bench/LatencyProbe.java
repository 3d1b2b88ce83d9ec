package dev.mplp.trace.bench;

import dev.mplp.trace.functions.ThresholdRule;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Placed right after the detectors and the alert lifecycle: for each triggered threshold alert, how long after its
 * triggering message entered the source ({@link PacedTraffic}: the alert's event time on the wall clock) it left,
 * in whole milliseconds, into a histogram accumulator. Left out: resolutions, which the lifecycle holds back for
 * {@code lifecycle.recovery-period} by design (a re-trigger meanwhile continues the incident); alerts no message
 * caused (among them those whose event time is still to come: deadlines the end of the input reaches); and the
 * degradation alerts, whose event time is a window's end.
 *
 * <p>The alerts that leave within {@link #AFTER_CHECKPOINT_MILLIS} after a checkpoint's barrier passed this probe
 * also go into a second histogram, the others into a third, so that the run shows what checkpoints add to the tail.
 *
 * <p>It also measures what a transactional output at this point adds for {@code read_committed} readers: file
 * outputs and exactly-once Kafka outputs commit what they received before a checkpoint's barrier when that
 * checkpoint completes, so each timed alert waits from passing here until the completion of the first checkpoint
 * whose barrier follows it (the commit's own round trip not included).
 *
 * <p>Each histogram is a {@link HistogramAtClose}.
 */
final class LatencyProbe extends RichMapFunction<Alert, Alert> implements CheckpointedFunction, CheckpointListener {

    static final String LATENCIES = "ingest-to-alert-ms";
    static final String AFTER_CHECKPOINT = "ingest-to-alert-after-checkpoint-ms";
    static final String BETWEEN_CHECKPOINTS = "ingest-to-alert-between-checkpoints-ms";
    static final String COMMIT_DELAY = "alert-to-commit-ms";
    static final String LEFT_OUT = "alerts-not-timed";
    /** How long after a barrier an alert counts as "after a checkpoint": the backlog a checkpoint leaves drains in this. */
    static final long AFTER_CHECKPOINT_MILLIS = 2_000;

    private transient HistogramAtClose latencies;
    private transient HistogramAtClose afterCheckpoint;
    private transient HistogramAtClose betweenCheckpoints;
    private transient HistogramAtClose commitDelays;
    private transient LongCounter leftOut;
    private transient long lastBarrierMillis;
    /** When each timed alert passed since the last barrier. */
    private transient List<Long> sinceBarrier;
    /** The same, by the checkpoint whose completion commits them. */
    private transient TreeMap<Long, List<Long>> awaitingCommit;

    @Override
    public void open(OpenContext openContext) {
        latencies = new HistogramAtClose(getRuntimeContext(), LATENCIES);
        afterCheckpoint = new HistogramAtClose(getRuntimeContext(), AFTER_CHECKPOINT);
        betweenCheckpoints = new HistogramAtClose(getRuntimeContext(), BETWEEN_CHECKPOINTS);
        commitDelays = new HistogramAtClose(getRuntimeContext(), COMMIT_DELAY);
        leftOut = new LongCounter();
        lastBarrierMillis = Long.MIN_VALUE / 2;
        sinceBarrier = new ArrayList<>();
        awaitingCommit = new TreeMap<>();
        getRuntimeContext().addAccumulator(LEFT_OUT, leftOut);
    }

    @Override
    public Alert map(Alert alert) {
        long now = System.currentTimeMillis();
        // an event time still to come: a deadline the end of the feed's input reached (its watermark jumps to the
        // end of time), not a message
        if (ThresholdRule.ALERT_TYPE.equals(alert.alertType) && alert.evaluationResult == AlertState.TRIGGERED
                && alert.evaluationTimestamp <= now) {
            long millis = now - alert.evaluationTimestamp;
            latencies.add(millis);
            (now - lastBarrierMillis <= AFTER_CHECKPOINT_MILLIS ? afterCheckpoint : betweenCheckpoints).add(millis);
            sinceBarrier.add(now);
        } else {
            leftOut.add(1);
        }
        return alert;
    }

    @Override
    public void close() {
        latencies.handOver();
        afterCheckpoint.handOver();
        betweenCheckpoints.handOver();
        commitDelays.handOver();
    }

    /** Called as the checkpoint's barrier passes this operator. */
    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        lastBarrierMillis = System.currentTimeMillis();
        awaitingCommit.put(context.getCheckpointId(), sinceBarrier);
        sinceBarrier = new ArrayList<>();
    }

    /** Commits what every checkpoint up to this one covered (a later completion also commits an aborted one's). */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        long now = System.currentTimeMillis();
        Map<Long, List<Long>> committed = awaitingCommit.headMap(checkpointId, true);
        committed.values().forEach(passed -> passed.forEach(at -> commitDelays.add(now - at)));
        committed.clear();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}
}
