package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.DeduplicateMessages;
import dev.mplp.trace.functions.DegradationDetector;
import dev.mplp.trace.functions.RedWindowAggregate;
import dev.mplp.trace.functions.RedWindowSummary;
import dev.mplp.trace.functions.ResourceWindowAggregate;
import dev.mplp.trace.functions.ResourceWindowSummary;
import dev.mplp.trace.functions.SequenceSpanEvents;
import dev.mplp.trace.functions.SpanLifecycle;
import dev.mplp.trace.functions.ThresholdBreaches;
import dev.mplp.trace.functions.WindowInputFilter;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.ingest.KeepEventTimeRange;
import dev.mplp.trace.ingest.TraceEventWatermarks;
import dev.mplp.trace.ingest.ValidateMessages;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The one pipeline definition: raw records in; accepted messages, completed spans, window summaries, alerts, late
 * messages and dead letters out. Every job (the streaming job, and the batch reprocessing job) plugs its own
 * sources and sinks into this, so that they compute the same thing. Operator uids are stable: they name state in savepoints.
 */
public final class TracePipeline {

    /** What the pipeline produces, for the job to send to its sinks. */
    public record Outputs(
            DataStream<TraceEvent> accepted,
            DataStream<CompletedSpan> completedSpans,
            DataStream<ServiceWindow> serviceWindows,
            DataStream<Alert> alerts,
            DataStream<TraceEvent> lateMessages,
            DataStream<DeadLetter> deadLetters) {}

    private TracePipeline() {}

    /** The streaming job's pipeline: every event time. */
    public static Outputs build(DataStream<RawMessage> raw, TraceAnalyticsConfig config) {
        return build(raw, config, EventTimeRange.ALL);
    }

    /**
     * @param range the event time a reprocessing run covers; valid messages outside it are counted and dropped
     *     before anything else sees them
     */
    public static Outputs build(DataStream<RawMessage> raw, TraceAnalyticsConfig config, EventTimeRange range) {
        TraceAnalyticsConfig.Detection detection = config.detection();

        // ingest: every record is accepted or dead-lettered. Parsing is most of the job's work, so the raw records
        // are spread over every subtask first: chained to the source, it would run only where the source reads, and
        // a file is one split, read by one subtask (a Kafka topic with fewer partitions than the parallelism, too)
        SingleOutputStreamOperator<TraceEvent> validated = raw.rebalance()
                .process(new ValidateMessages(config.ingest()))
                .name("validate-messages")
                .uid("validate-messages");

        SingleOutputStreamOperator<TraceEvent> timed = validated
                .assignTimestampsAndWatermarks(TraceEventWatermarks.strategy(config.eventTime()))
                .name("event-time")
                .uid("event-time");

        SingleOutputStreamOperator<TraceEvent> inRange = range.isAll()
                ? timed
                : timed.process(new KeepEventTimeRange(range)).name("event-time-range " + range).uid("event-time-range");

        SingleOutputStreamOperator<TraceEvent> accepted = inRange.keyBy(event -> event.messageId)
                .process(new DeduplicateMessages(
                        config.ingest().duplicateWindow(), config.ingest().deadLetterPayloadBytes()))
                .name("deduplicate-messages")
                .uid("deduplicate-messages");

        // the detectors never read the original JSON (most of the bytes): only the accepted stream carries it on
        SingleOutputStreamOperator<TraceEvent> forDetection = accepted.map(TraceEvent::withoutPayload)
                .name("drop-payload")
                .uid("drop-payload");

        // each span's messages in event-time order: what every per-span detector reads
        SingleOutputStreamOperator<TraceEvent> sequenced = forDetection.keyBy(SequenceSpanEvents::key)
                .process(new SequenceSpanEvents(detection.span()))
                .name("sequence-span-events")
                .uid("sequence-span-events");

        DataStream<CompletedSpan> completedSpans = sequenced.keyBy(SequenceSpanEvents::key)
                .process(new SpanLifecycle(detection.span()))
                .name("span-lifecycle")
                .uid("span-lifecycle");

        DataStream<Alert> thresholdBreaches = sequenced.keyBy(SequenceSpanEvents::key)
                .process(new ThresholdBreaches(detection))
                .name("threshold-breaches")
                .uid("threshold-breaches");

        // RED summaries per (service, operation), compared with their rolling baselines
        SingleOutputStreamOperator<ServiceWindow> operationWindows = completedSpans
                .filter(WindowInputFilter.completedSpans())
                .name("spans-with-names")
                .keyBy(RedWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(detection.windows().size()))
                .aggregate(new RedWindowAggregate(), new RedWindowSummary())
                .name("red-windows")
                .uid("red-windows")
                .keyBy(DegradationDetector::key)
                .process(new DegradationDetector(detection))
                .name("degradation-detector")
                .uid("degradation-detector");

        // resource summaries per service, from the metrics messages (named after their span's start)
        DataStream<ServiceWindow> resourceWindows = sequenced
                .filter(WindowInputFilter.metricsSamples())
                .name("metrics-with-names")
                .keyBy(ResourceWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(detection.windows().size()))
                .aggregate(new ResourceWindowAggregate(), new ResourceWindowSummary())
                .name("resource-windows")
                .uid("resource-windows");

        DataStream<Alert> alerts = thresholdBreaches.union(operationWindows.getSideOutput(DegradationDetector.ALERTS));

        DataStream<DeadLetter> deadLetters = validated
                .getSideOutput(ValidateMessages.DEAD_LETTERS)
                .union(accepted.getSideOutput(DeduplicateMessages.DUPLICATES));

        return new Outputs(
                accepted,
                completedSpans,
                operationWindows.union(resourceWindows),
                alerts,
                sequenced.getSideOutput(SequenceSpanEvents.LATE),
                deadLetters);
    }
}
