package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class TraceEventWatermarksTest {

    private static final long OUT_OF_ORDERNESS = 5_000;
    private static final long STEP = 50;
    private static final long T0 = 1_756_893_600_000L;

    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };
    private final TraceEventWatermarks.EventTimeSteps<Object> generator =
            new TraceEventWatermarks.EventTimeSteps<>(OUT_OF_ORDERNESS, STEP);

    @Test
    void aWatermarkTrailsTheNewestEventTimeAndIsEmittedWhenAMessageMovesItOnByAStep() {
        generator.onEvent("first", T0, output);
        generator.onEvent("within the step", T0 + STEP - 1, output);
        generator.onEvent("out of order", T0 - 2_000, output);
        generator.onEvent("a step on", T0 + STEP, output);

        assertThat(emitted).containsExactly(T0 - OUT_OF_ORDERNESS - 1, T0 + STEP - OUT_OF_ORDERNESS - 1);
    }

    @Test
    void theWallClockNeverEmitsOne() {
        generator.onPeriodicEmit(output);
        generator.onEvent("first", T0, output);
        generator.onEvent("within the step", T0 + 10, output);
        generator.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(T0 - OUT_OF_ORDERNESS - 1);
    }
}
