package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.ServiceWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * A {@link DegradationDetector} in an open keyed operator harness, keyed as the pipeline keys it, behind
 * {@link EmptyOperationWindows} as in the pipeline: what goes in is what the window operator emits, and the event time
 * of the input (the broadcast frontier) goes as far as the watermarks given.
 */
final class DegradationDetectorHarness implements AutoCloseable {

    /** The detector's harness itself, for the state and timer counts (and windows that skip the empty ones). */
    final KeyedOneInputStreamOperatorTestHarness<String, ServiceWindow, ServiceWindow> harness;
    /** The harness of the empty windows in front of it. */
    final KeyedBroadcastOperatorTestHarness<String, ServiceWindow, Long, ServiceWindow> emptyWindows;
    private final long windowMillis;

    DegradationDetectorHarness(TraceAnalyticsConfig.Detection detection) throws Exception {
        windowMillis = detection.windows().size().toMillis();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DegradationDetector(detection)), DegradationDetector::key, Types.STRING);
        harness.open();
        emptyWindows = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new EmptyOperationWindows(detection), DegradationDetector::key, Types.STRING,
                EmptyOperationWindows.FRONTIER);
    }

    /** As the window operator emits a window: at its last timestamp, the watermark following. */
    void send(ServiceWindow window) throws Exception {
        emptyWindows.processElement(window, window.windowEnd - 1);
        forward();
        processWatermark(window.windowEnd - 1);
    }

    /**
     * Event time moves on to {@code watermark}, in both operators; {@link Long#MAX_VALUE} is the end of the input (the
     * frontier stays where the last watermark before left it).
     */
    void processWatermark(long watermark) throws Exception {
        if (watermark != Long.MAX_VALUE) {
            emptyWindows.processBroadcastElement(Math.floorDiv(watermark + 1, windowMillis) * windowMillis, watermark);
        }
        emptyWindows.watermark(watermark);
        forward();
        harness.processWatermark(watermark);
    }

    /** Hands what the empty windows passed on to the detector. */
    @SuppressWarnings("unchecked")
    private void forward() throws Exception {
        Object out;
        while ((out = emptyWindows.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> record) {
                harness.processElement((StreamRecord<ServiceWindow>) record);
            }
        }
    }

    /** The keyed state entries {@link EmptyOperationWindows} keeps. */
    int emptyWindowsStateEntries() {
        return ((HeapKeyedStateBackend<?>) emptyWindows.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /** The windows passed on, in order. */
    List<ServiceWindow> windows() {
        return harness.extractOutputValues();
    }

    /** The alerts of the side output, in order. */
    List<Alert> alerts() {
        Queue<StreamRecord<Alert>> side = harness.getSideOutput(DegradationDetector.ALERTS);
        List<Alert> alerts = new ArrayList<>();
        if (side != null) {
            side.forEach(record -> alerts.add(record.getValue()));
        }
        return alerts;
    }

    @Override
    public void close() throws Exception {
        emptyWindows.close();
        harness.close();
    }
}
