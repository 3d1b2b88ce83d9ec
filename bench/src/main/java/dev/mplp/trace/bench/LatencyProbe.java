package dev.mplp.trace.bench;

import dev.mplp.trace.functions.ThresholdBreaches;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Placed right after the detectors and the alert lifecycle: for each triggered threshold alert, how long after its
 * triggering message entered the source ({@link PacedTraffic}: the alert's event time on the wall clock) it left,
 * in whole milliseconds, into a histogram accumulator. Left out: resolutions, which the lifecycle holds back for
 * {@code lifecycle.recovery-period} by design (a re-trigger meanwhile continues the incident); alerts no message
 * caused; and the degradation alerts, whose event time is a window's end.
 */
final class LatencyProbe extends RichMapFunction<Alert, Alert> {

    static final String LATENCIES = "ingest-to-alert-ms";
    static final String LEFT_OUT = "alerts-not-timed";

    private transient Histogram latencies;
    private transient LongCounter leftOut;

    @Override
    public void open(OpenContext openContext) {
        latencies = new Histogram();
        leftOut = new LongCounter();
        getRuntimeContext().addAccumulator(LATENCIES, latencies);
        getRuntimeContext().addAccumulator(LEFT_OUT, leftOut);
    }

    @Override
    public Alert map(Alert alert) {
        if (ThresholdBreaches.ALERT_TYPE.equals(alert.alertType) && alert.evaluationResult == AlertState.TRIGGERED) {
            long millis = System.currentTimeMillis() - alert.evaluationTimestamp;
            latencies.add((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, millis)));
        } else {
            leftOut.add(1);
        }
        return alert;
    }
}
