package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of accepted messages: the message's own time ({@link TraceEvent#eventTime}), never the time it was
 * read, so that replaying an archive gives the same windows, timers and alerts as the live run. Watermarks trail
 * the newest event time by the configured out-of-orderness; an idle input stops holding them back.
 */
public final class TraceEventWatermarks {

    private TraceEventWatermarks() {}

    public static WatermarkStrategy<TraceEvent> strategy(TraceAnalyticsConfig.EventTime settings) {
        return WatermarkStrategy.<TraceEvent>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner((event, previous) -> event.eventTime)
                .withIdleness(settings.idleTimeout());
    }
}
