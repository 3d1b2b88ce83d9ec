package dev.mplp.trace.jobs;

import dev.mplp.trace.cep.AlertLifecycle;
import dev.mplp.trace.cep.DegradationTrend;
import dev.mplp.trace.cep.ErrorBurst;
import dev.mplp.trace.cep.rules.RuntimeRules;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.BreachIncidents;
import dev.mplp.trace.functions.DeduplicateMessages;
import dev.mplp.trace.functions.DegradationDetector;
import dev.mplp.trace.functions.EmptyOperationWindows;
import dev.mplp.trace.functions.EventTimeFrontier;
import dev.mplp.trace.functions.RedWindowAggregate;
import dev.mplp.trace.functions.RedWindowSummary;
import dev.mplp.trace.functions.ResourceWindowAggregate;
import dev.mplp.trace.functions.ResourceWindowSummary;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.functions.SustainedBreaches;
import dev.mplp.trace.functions.WindowInputFilter;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.ingest.KeepEventTimeRange;
import dev.mplp.trace.ingest.RawRecordWatermarks;
import dev.mplp.trace.ingest.TraceEventWatermarks;
import dev.mplp.trace.ingest.ValidateMessages;
import dev.mplp.trace.jobs.metrics.DashboardMetrics;
import dev.mplp.trace.jobs.metrics.EventTimeLag;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.records.types.CompactStrings;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.flink.streaming.api.transformations.WithBoundedness;
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
            DataStream<DeadLetter> deadLetters,
            DataStream<Alert> breaches) {}

    private TracePipeline() {}

    /**
     * Messages as they cross the network: Flink's string format, written in one block for ASCII (ids, names,
     * attributes) rather than a character at a time (the payload's bytes are one block already).
     */
    private static final TypeInformation<TraceEvent> TRACE_EVENTS = CompactStrings.pojo(TraceEvent.class);

    /** Every event time, the rules of the configuration only, no span export. */
    public static Outputs build(DataStream<RawMessage> raw, TraceAnalyticsConfig config) {
        return build(raw, null, config, EventTimeRange.ALL, false);
    }

    /**
     * @param ruleDocuments versioned JSON rule documents that change thresholds and silences while the job runs;
     *     null for the rules of the configuration only
     * @param range the event time a reprocessing run covers; valid messages outside it are counted and dropped
     *     before anything else sees them
     * @param otlpSpanExport true when the job exports the completed spans as OTLP, which reads their details: their
     *     start's attributes, resource attributes and trace state, their completion's status message, events, links
     *     and OTLP residue. The span metrics read the attributes too when {@code span-metrics.dimensions} names
     *     any. Without either, each message leaves validation without them ({@link TraceEvent#dropSpanDetails};
     *     the archive keeps them in the original JSON): a start's attributes are not written as JSON again nor sent
     *     through the shuffles, and the span session does not hold them until the completion (most of an open
     *     span's state)
     */
    public static Outputs build(
            DataStream<RawMessage> raw,
            DataStream<RawMessage> ruleDocuments,
            TraceAnalyticsConfig config,
            EventTimeRange range,
            boolean otlpSpanExport) {
        TraceAnalyticsConfig.Detection detection = config.detection();
        long sparseOutput = SparseOutput.bufferTimeout(raw.getExecutionEnvironment());
        RuntimeRules.Rules rules = ruleDocuments == null ? null : RuntimeRules.read(ruleDocuments);

        // the span details go on only for an output that reads them
        boolean spanDetails = otlpSpanExport || !config.spanMetrics().dimensions().isEmpty();
        // ingest: every record is accepted or dead-lettered. Validation stays chained to the source, on every subtask
        // that reads a split (a Kafka partition, a file), in the split's order: the copies of a message from one split
        // reach deduplication in that order, so the same copy is accepted in every run, restore and parallelism
        SingleOutputStreamOperator<TraceEvent> validated = raw
                .process(new ValidateMessages(config.ingest(), config.security(), spanDetails))
                .returns(TRACE_EVENTS)
                .name("validate-messages")
                .uid("validate-messages");

        // watermarks come from the messages (TraceEventWatermarks); Flink's periodic callback, as often as
        // pipeline.auto-watermark-interval says whatever environment the pipeline is built in, only checks idleness
        raw.getExecutionEnvironment().getConfig().setAutoWatermarkInterval(config.flink().configuration()
                .get(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL).toMillis());
        // a Kafka source puts event time on each partition (RawRecordWatermarks); a file source gets it here, one
        // watermark per subtask (a subtask's files are read merged by time for it)
        SingleOutputStreamOperator<TraceEvent> timed = timedAtSource(raw)
                ? validated.transform("event-time", TRACE_EVENTS, new EventTimeFromSource()).uid("event-time")
                : validated
                        .assignTimestampsAndWatermarks(EventTimeLag.measured(
                                TraceEventWatermarks.strategy(config.eventTime(), isBounded(raw))))
                        .name("event-time")
                        .uid("event-time");

        SingleOutputStreamOperator<TraceEvent> inRange = range.isAll()
                ? timed
                : timed.process(new KeepEventTimeRange(range)).name("event-time-range " + range).uid("event-time-range");

        SingleOutputStreamOperator<TraceEvent> accepted = inRange.keyBy(DeduplicateMessages::shardOf, Types.INT)
                .process(new DeduplicateMessages(
                        config.ingest().duplicateWindow(), config.ingest().deadLetterPayloadBytes()))
                .name("deduplicate-messages")
                .uid("deduplicate-messages");

        // the detectors never read the original JSON (most of the bytes): only the accepted stream carries it on
        SingleOutputStreamOperator<TraceEvent> forDetection = DashboardMetrics.countMessages(accepted)
                .map(TraceEvent::withoutPayload)
                .returns(TRACE_EVENTS)
                .name("drop-payload")
                .uid("drop-payload");

        // one session per span: its messages in event-time order and named after its start (what every per-span
        // detector reads), its completed span, its threshold and incomplete-span incidents and its late messages as
        // side outputs (thresholds from the scoped rules and the rule document in force filled into the starts that
        // declare none, before the session: its threshold and incomplete-span rules read them)
        DataStream<TraceEvent> ruled = rules == null
                ? RuntimeRules.withScopedThresholds(forDetection, config)
                : RuntimeRules.withRuledThresholds(forDetection, rules, config);
        SingleOutputStreamOperator<TraceEvent> sequenced = ruled.keyBy(SpanSession::key, SpanSession.KEY_TYPE)
                .process(new SpanSession(config))
                .returns(TRACE_EVENTS)
                .name("span-session")
                .uid("span-session");

        DataStream<CompletedSpan> completedSpans = sequenced.getSideOutput(SpanSession.COMPLETED_SPANS);

        // how far the input's event time has gone, as data: where an operation without spans has its empty windows
        BroadcastStream<Long> frontier = inRange
                .process(new EventTimeFrontier(config.eventTime().maxOutOfOrderness(), detection.windows().size()))
                .name("event-time-frontier")
                .uid("event-time-frontier")
                .broadcast(EmptyOperationWindows.FRONTIER);

        // what the windows and the breach incidents read of a span crosses their shuffles, not its attributes
        DataStream<CompletedSpan> namedSpans = DashboardMetrics.countSpans(completedSpans, config.spanMetrics())
                .filter(WindowInputFilter.completedSpans())
                .name("spans-with-names")
                .map(CompletedSpan::summary)
                .returns(completedSpans.getType())
                .name("span-summaries");

        // RED summaries per (service, operation), with the empty windows, compared with their rolling baselines
        SingleOutputStreamOperator<ServiceWindow> operationWindows = namedSpans
                .keyBy(RedWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(detection.windows().size()))
                .aggregate(new RedWindowAggregate(), new RedWindowSummary())
                .name("red-windows")
                .uid("red-windows")
                .setBufferTimeout(sparseOutput)
                .keyBy(DegradationDetector::key)
                .connect(frontier)
                .process(new EmptyOperationWindows(detection))
                .name("empty-operation-windows")
                .uid("empty-operation-windows")
                .setBufferTimeout(sparseOutput)
                .keyBy(DegradationDetector::key)
                .process(new DegradationDetector(detection))
                .name("degradation-detector")
                .uid("degradation-detector")
                .setBufferTimeout(sparseOutput);

        // resource summaries per service, from the metrics messages (named after their span's start)
        DataStream<ServiceWindow> resourceWindows = sequenced
                .filter(WindowInputFilter.metricsSamples())
                .name("metrics-with-names")
                .keyBy(ResourceWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(detection.windows().size()))
                .aggregate(new ResourceWindowAggregate(), new ResourceWindowSummary())
                .name("resource-windows")
                .uid("resource-windows")
                .setBufferTimeout(sparseOutput);

        // the per-span rules' alerts, in one place: each span's breaches (threshold_breach, incomplete_span) and the
        // sustained breaches of its (service, operation): N of M evaluations of its spans, a counter
        DataStream<Alert> perSpanRules = sequenced.getSideOutput(SpanSession.ALERTS)
                .union(SustainedBreaches.detect(sequenced.getSideOutput(SpanSession.EVALUATIONS), config));
        // every span that broke its own limit is evidence; what is paged is one incident per (service, operation,
        // rule) when enough of its spans do (or a sustained breach holds)
        DataStream<Alert> breaches = perSpanRules.filter(BreachIncidents::isBreach)
                .name("span-breaches")
                .setBufferTimeout(sparseOutput);
        DataStream<Alert> breachIncidents = perSpanRules.filter(BreachIncidents::isInput)
                .name("breach-incident-inputs")
                .setBufferTimeout(sparseOutput)
                .keyBy(BreachIncidents::key)
                .connect(namedSpans.keyBy(RedWindowAggregate::key))
                .process(new BreachIncidents(detection))
                .name("breach-incidents")
                .uid("breach-incidents")
                .setBufferTimeout(sparseOutput);

        // service-level patterns over time (Flink CEP)
        DataStream<Alert> patterns = ErrorBurst.detect(sequenced, config)
                .union(DegradationTrend.detect(operationWindows, config));

        // one lifecycle after every detector: silences, minimum firing, recovery, flapping, escalation
        DataStream<Alert> detected = breachIncidents.union(
                operationWindows.getSideOutput(DegradationDetector.ALERTS), patterns);
        if (detection.incidents().pagePerSpan()) {
            detected = detected.union(perSpanRules.filter(alert -> alert.spanId != null)
                    .name("per-span-pages")
                    .setBufferTimeout(sparseOutput));
        }
        DataStream<Alert> alerts = DashboardMetrics.countAlerts(rules == null
                ? AlertLifecycle.apply(detected, config)
                : AlertLifecycle.apply(detected, rules, config));

        DataStream<DeadLetter> deadLetters = validated
                .getSideOutput(ValidateMessages.DEAD_LETTERS)
                .union(accepted.getSideOutput(DeduplicateMessages.DUPLICATES));
        if (rules != null) {
            deadLetters = deadLetters.union(rules.rejected());
        }

        return new Outputs(
                accepted,
                completedSpans,
                operationWindows.union(resourceWindows),
                alerts,
                sequenced.getSideOutput(SpanSession.LATE),
                DashboardMetrics.countDeadLetters(deadLetters),
                breaches);
    }

    /** True when {@code raw} comes straight from a source that put event time on its splits. */
    static boolean timedAtSource(DataStream<RawMessage> raw) {
        return raw.getTransformation() instanceof SourceTransformation<?, ?, ?> source
                && source.getWatermarkStrategy() instanceof RawRecordWatermarks;
    }

    /** True when every source {@code stream} reads ends (files, archives, a topic read to its end). */
    static boolean isBounded(DataStream<?> stream) {
        return stream.getTransformation().getTransitivePredecessors().stream()
                .filter(WithBoundedness.class::isInstance)
                .allMatch(source -> ((WithBoundedness) source).getBoundedness() == Boundedness.BOUNDED);
    }
}
