package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.DeduplicateMessages;
import dev.mplp.trace.functions.ThresholdBreaches;
import dev.mplp.trace.ingest.TraceEventWatermarks;
import dev.mplp.trace.ingest.ValidateMessages;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The one pipeline definition: raw records in; accepted events, alerts and dead letters out. Every job (the streaming job,
 * and later the batch reprocessing job) plugs its own sources and sinks into this, so that they compute the same
 * thing. Operator uids are stable: they name state in savepoints.
 */
public final class TracePipeline {

    /** What the pipeline produces, for the job to send to its sinks. */
    public record Outputs(
            DataStream<TraceEvent> accepted, DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {}

    private TracePipeline() {}

    public static Outputs build(DataStream<RawMessage> raw, TraceAnalyticsConfig config) {
        SingleOutputStreamOperator<TraceEvent> validated = raw.process(new ValidateMessages(config.ingest()))
                .name("validate-messages")
                .uid("validate-messages");

        SingleOutputStreamOperator<TraceEvent> timed = validated
                .assignTimestampsAndWatermarks(TraceEventWatermarks.strategy(config.eventTime()))
                .name("event-time")
                .uid("event-time");

        SingleOutputStreamOperator<TraceEvent> unique = timed.keyBy(event -> event.messageId)
                .process(new DeduplicateMessages(
                        config.ingest().duplicateWindow(), config.ingest().deadLetterPayloadBytes()))
                .name("deduplicate-messages")
                .uid("deduplicate-messages");

        DataStream<Alert> thresholdBreaches = unique.keyBy(ThresholdBreaches::key)
                .process(new ThresholdBreaches(config.detection()))
                .name("threshold-breaches")
                .uid("threshold-breaches");

        DataStream<DeadLetter> deadLetters = validated
                .getSideOutput(ValidateMessages.DEAD_LETTERS)
                .union(unique.getSideOutput(DeduplicateMessages.DUPLICATES));

        return new Outputs(unique, thresholdBreaches, deadLetters);
    }
}
