package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;

/**
 * Event time for a Kafka source, as Flink puts it on each source split: every partition a subtask reads gets its
 * own watermark, and the subtask's is the least of them. Without it a subtask reading several partitions had one
 * watermark over all of them after parsing; catching up on a backlog, the Kafka client hands over one partition's
 * records in a batch before the next's, and the first partition's moved the watermark past most of the others'
 * messages, which were then late (left out of detection).
 *
 * <p>A record's time here is read before the record is parsed: a protocol message's envelope {@code timestamp}
 * ({@link EnvelopeSniffer}), else its body's own time (rare: by reading the whole record, up to 64 KiB), the event
 * time the message gets once accepted ({@link TraceEventExtractor}); an OTLP request's earliest span end
 * ({@link OtlpEndTimes}), the earliest event time of the span halves it holds. A record without one (unreadable, no
 * valid time) neither moves its partition's watermark nor keeps the partition active: a partition of nothing else
 * goes idle after {@code event-time.idle-timeout} (live inputs only), as a quiet one does. Watermarks are emitted as
 * {@link TraceEventWatermarks} emits them: trailing the newest time by {@code event-time.max-out-of-orderness}, in
 * steps of {@code event-time.watermark-interval}, never from the wall clock.
 *
 * <p>The records keep these times only to the validator: {@code TracePipeline} stamps each accepted message with its
 * own event time after it.
 */
public final class RawRecordWatermarks implements WatermarkStrategy<RawMessage> {

    /** The time of a record without a readable one: it moves no watermark. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final TraceAnalyticsConfig.SourceFormat format;
    private final long outOfOrdernessMillis;
    private final long stepMillis;
    /** Null for a bounded input, never idle. */
    private final Duration idleTimeout;

    private RawRecordWatermarks(TraceAnalyticsConfig.SourceFormat format, long outOfOrdernessMillis, long stepMillis,
            Duration idleTimeout) {
        this.format = format;
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.stepMillis = stepMillis;
        this.idleTimeout = idleTimeout;
    }

    /**
     * @param format what the records are ({@code ingest.source-format}; null: protocol messages)
     * @param bounded the input ends: no idleness, only its records move the watermarks
     */
    public static RawRecordWatermarks of(
            TraceAnalyticsConfig.SourceFormat format, TraceAnalyticsConfig.EventTime settings, boolean bounded) {
        return new RawRecordWatermarks(format == null ? TraceAnalyticsConfig.SourceFormat.MPLP : format,
                settings.maxOutOfOrderness().toMillis(), Math.max(1, settings.watermarkInterval().toMillis()),
                bounded ? null : settings.idleTimeout());
    }

    /**
     * The record's event time as far as it can be read before parsing, else {@link #NO_TIME}: a protocol message's,
     * or an OTLP request's earliest ({@link OtlpEndTimes}: the earliest of its span halves' event times).
     */
    public static long timeOf(RawMessage record, TraceAnalyticsConfig.SourceFormat format) {
        if (record.body == null) {
            return NO_TIME;
        }
        Long time = switch (format) {
            case MPLP -> protocolTime(record);
            case OTLP_PROTO -> OtlpEndTimes.earliestOfProto(record.body);
            case OTLP_JSON -> OtlpEndTimes.earliestOfJson(record.body);
        };
        return time == null ? NO_TIME : time;
    }

    private static Long protocolTime(RawMessage record) {
        Long envelope = EnvelopeSniffer.timestamp(record.body);
        if (envelope != null) {
            return envelope;
        }
        // the body's time costs a parse of the whole record: not for one larger than the envelope's scan
        if (record.body.length > EnvelopeSniffer.SCAN_LIMIT_BYTES) {
            return null;
        }
        try {
            return RecordEventTime.of(Json.mapper().readTree(record.body));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    @Override
    public TimestampAssigner<RawMessage> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        TraceAnalyticsConfig.SourceFormat records = format;
        return (record, kafkaTimestamp) -> timeOf(record, records);
    }

    @Override
    public WatermarkGenerator<RawMessage> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        WatermarkGenerator<RawMessage> steps =
                new TraceEventWatermarks.EventTimeSteps<>(outOfOrdernessMillis, stepMillis);
        return new TimedRecordsOnly(idleTimeout == null ? steps
                : new WatermarksWithIdleness<>(steps, idleTimeout, context.getInputActivityClock()));
    }

    /** Hands on only the records with a time: the others neither move the watermark nor count as activity. */
    private record TimedRecordsOnly(WatermarkGenerator<RawMessage> generator)
            implements WatermarkGenerator<RawMessage> {
        @Override
        public void onEvent(RawMessage record, long time, WatermarkOutput output) {
            if (time != NO_TIME) {
                generator.onEvent(record, time, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            generator.onPeriodicEmit(output);
        }
    }
}
