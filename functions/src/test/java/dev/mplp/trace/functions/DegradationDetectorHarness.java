package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.ServiceWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** A {@link DegradationDetector} in an open keyed operator harness, keyed as the pipeline keys it. */
final class DegradationDetectorHarness implements AutoCloseable {

    /** The harness itself, for watermarks and the state and timer counts. */
    final KeyedOneInputStreamOperatorTestHarness<String, ServiceWindow, ServiceWindow> harness;

    DegradationDetectorHarness(TraceAnalyticsConfig.Detection detection) throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DegradationDetector(detection)), DegradationDetector::key, Types.STRING);
        harness.open();
    }

    /** As the window operator emits a window: at its last timestamp, the watermark following. */
    void send(ServiceWindow window) throws Exception {
        harness.processElement(window, window.windowEnd - 1);
        harness.processWatermark(window.windowEnd - 1);
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
        harness.close();
    }
}
