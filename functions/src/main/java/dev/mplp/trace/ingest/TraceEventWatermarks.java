package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of accepted messages: the message's own time ({@link TraceEvent#eventTime}), never the time it was
 * read, so that replaying an archive gives the same windows, timers and alerts as the live run. Watermarks trail
 * the newest event time by the configured out-of-orderness.
 *
 * <p><b>Driven by the messages alone.</b> A watermark is emitted when a message moves it on by at least
 * {@code event-time.watermark-interval} of event time ({@link EventTimeSteps}), never by a wall-clock timer: so the
 * watermarks a subtask emits, and the last one before the end of a bounded input, are the same on every run. (With
 * Flink's periodic emission the last watermark before the end of input was wherever the last timer had caught the
 * reading, and operators that see messages released at the end before their own timers fire found other alerts.)
 *
 * <p><b>Idleness.</b> A live input that stays quiet for {@code event-time.idle-timeout} of processing time stops
 * holding the watermark back. That is the one processing-time setting, and it can change results: a partition
 * marked idle that then delivers messages older than the watermark the others moved on has them late. So it applies
 * to unbounded inputs only; a bounded one (a file, an archive, a topic read to its end) is never idle.
 */
public final class TraceEventWatermarks {

    private TraceEventWatermarks() {}

    /** @param bounded the input ends: no idleness, only its messages move the watermark */
    public static WatermarkStrategy<TraceEvent> strategy(TraceAnalyticsConfig.EventTime settings, boolean bounded) {
        long outOfOrderness = settings.maxOutOfOrderness().toMillis();
        long step = Math.max(1, settings.watermarkInterval().toMillis());
        WatermarkStrategy<TraceEvent> strategy = WatermarkStrategy
                .<TraceEvent>forGenerator(context -> new EventTimeSteps<>(outOfOrderness, step))
                .withTimestampAssigner((event, previous) -> event.eventTime);
        return bounded ? strategy : strategy.withIdleness(settings.idleTimeout());
    }

    /**
     * Bounded out-of-orderness (the newest event time less the bound, less 1 ms), emitted from {@link #onEvent} each
     * time it has moved on by {@code step} since the last one emitted, and never from the periodic callback.
     */
    static final class EventTimeSteps<T> implements WatermarkGenerator<T> {
        private final long outOfOrderness;
        private final long step;
        private long emitted = Long.MIN_VALUE;

        EventTimeSteps(long outOfOrderness, long step) {
            this.outOfOrderness = outOfOrderness;
            this.step = step;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            long watermark = eventTimestamp - outOfOrderness - 1;
            if (emitted == Long.MIN_VALUE || watermark - emitted >= step) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
