package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of accepted messages: the message's own time ({@link TraceEvent#eventTime}), never the time it was
 * read, so that replaying an archive gives the same windows, timers and alerts as the live run. Watermarks trail
 * the newest event time by the configured out-of-orderness.
 *
 * <p>A live input that stays quiet for {@code event-time.idle-timeout} of processing time stops holding them back.
 * That is the one processing-time setting, and it can change results: a partition marked idle that then delivers
 * messages older than the watermark the others moved on has them late. So it applies to unbounded inputs only; a
 * bounded one (a file, an archive, a topic read to its end) is never idle, its results depend on its messages alone.
 */
public final class TraceEventWatermarks {

    private TraceEventWatermarks() {}

    /** @param bounded the input ends: no idleness, only its messages move the watermark */
    public static WatermarkStrategy<TraceEvent> strategy(TraceAnalyticsConfig.EventTime settings, boolean bounded) {
        WatermarkStrategy<TraceEvent> strategy = WatermarkStrategy.<TraceEvent>forBoundedOutOfOrderness(
                        settings.maxOutOfOrderness())
                .withTimestampAssigner((event, previous) -> event.eventTime);
        return bounded ? strategy : strategy.withIdleness(settings.idleTimeout());
    }
}
