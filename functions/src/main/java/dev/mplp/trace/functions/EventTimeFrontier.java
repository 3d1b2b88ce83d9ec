package dev.mplp.trace.functions;

import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * How far the input's event time has gone, as data: the end of the last window that a watermark trailing the newest
 * event time by the out-of-orderness has passed (windows of {@code windowSize}, aligned to the epoch). Emitted each
 * time it moves on, so a few records per window and subtask. The largest of them is the event time a bounded input
 * reaches, whatever the parallelism, the execution mode, or the order the subtasks finish in: unlike the last
 * watermark before the end of input, which is that of the subtask that happens to finish last, and which a BATCH run
 * never has at all. {@link EmptyOperationWindows} reads it.
 *
 * <p>Not checkpointed: after a restore it emits again from the next message, and its readers keep the largest.
 */
public class EventTimeFrontier extends ProcessFunction<TraceEvent, Long> {

    private final long outOfOrdernessMillis;
    private final long windowMillis;
    private transient long emitted;

    public EventTimeFrontier(Duration maxOutOfOrderness, Duration windowSize) {
        this.outOfOrdernessMillis = maxOutOfOrderness.toMillis();
        this.windowMillis = windowSize.toMillis();
    }

    /**
     * The end of the last window passed once event time has reached {@code eventTime}: a bounded out-of-orderness
     * watermark is then {@code eventTime - outOfOrderness - 1}, which passes a window ending at E from E - 1 on.
     */
    public static long passedWindowEnd(long eventTime, long outOfOrdernessMillis, long windowMillis) {
        return Math.floorDiv(eventTime - outOfOrdernessMillis, windowMillis) * windowMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        emitted = Long.MIN_VALUE;
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<Long> out) {
        long passed = passedWindowEnd(event.eventTime, outOfOrdernessMillis, windowMillis);
        if (passed > emitted) {
            emitted = passed;
            out.collect(passed);
        }
    }
}
