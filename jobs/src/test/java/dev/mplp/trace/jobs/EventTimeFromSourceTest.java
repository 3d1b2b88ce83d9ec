package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** After validation, on a source that put event time on its splits: own timestamps, the source's watermarks. */
class EventTimeFromSourceTest {

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant UPDATED = STARTED.plusSeconds(3);
    /** What the source read before parsing: another time (an OTLP-like record's, or none). */
    private static final long SOURCE_TIME = Long.MIN_VALUE;
    private static final long SOURCE_WATERMARK = STARTED.minusSeconds(5).toEpochMilli();

    @Test
    void eachMessageGetsItsOwnEventTimeAndTheSourcesWatermarksPassOnUnchanged() throws Exception {
        TraceEvents span = TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        try (OneInputStreamOperatorTestHarness<TraceEvent, TraceEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new EventTimeFromSource())) {
            harness.open();
            harness.processElement(new StreamRecord<>(span.start(STARTED).event, SOURCE_TIME));
            harness.processWatermark(new Watermark(SOURCE_WATERMARK));
            harness.processElement(new StreamRecord<>(span.update(UPDATED, m -> {}).event));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);

            List<Object> output = List.copyOf(harness.getOutput());
            assertThat(output).hasSize(4);
            assertThat(((StreamRecord<?>) output.get(0)).getTimestamp()).isEqualTo(STARTED.toEpochMilli());
            assertThat(output.get(1)).isEqualTo(new Watermark(SOURCE_WATERMARK));
            assertThat(((StreamRecord<?>) output.get(2)).getTimestamp()).isEqualTo(UPDATED.toEpochMilli());
            assertThat(output.get(3)).isEqualTo(WatermarkStatus.IDLE);
        }
    }
}
