package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.IncompleteSpanRule;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.functions.SustainedBreachRule;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Ours in row 7: the project's own {@code sustained_breach} counter ({@link SustainedBreachRule}, every match, as
 * the pipeline's {@code sustained-breaches} counts them) and the span session's {@code incomplete_span} rule on the
 * embedded Flink, detection only: no incident tracking of the matches, no parsing; the evaluations come in event-time
 * order, so the counter reads them as they come (the pipeline's waits for the watermark).
 */
final class PeerOurs {

    static final String ENGINE = "ours (sustained-breach counter, span-session incomplete span)";

    private PeerOurs() {}

    static PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws Exception {
        PeerFlink flink = new PeerFlink(config);
        DataStream<MetricEvaluation> evaluations = flink.evaluations(input.evaluations());
        DataStream<Detected> breaches = evaluations.keyBy(SustainedBreachRule::subject)
                .process(new Matches(config))
                .name("sustained-breach-counter")
                .map(PeerOurs::sustained)
                .name("sustained-breach-detected");

        DataStream<TraceEvent> spans = flink.startsAndCompletions(input.startsAndCompletions())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.eventTime))
                .name("span-times");
        // the span session's incomplete-span rule (its housekeeping timer), as the pipeline runs it
        DataStream<Detected> incompleteSpans = spans.keyBy(SpanSession::key, SpanSession.KEY_TYPE)
                .process(new SpanSession(config))
                .name("span-session")
                .getSideOutput(SpanSession.ALERTS)
                .filter(alert -> IncompleteSpanRule.ALERT_TYPE.equals(alert.alertType)
                        && alert.evaluationResult == AlertState.TRIGGERED)
                .name("incomplete-spans-opened")
                .map(PeerOurs::incomplete)
                .name("incomplete-span-detected");

        flink.collect(breaches.union(incompleteSpans), "collect");
        return flink.execute(ENGINE, input.size());
    }

    private static Detected sustained(Alert alert) {
        return new Detected(Detected.SUSTAINED_BREACH,
                alert.serviceName + "|" + alert.operationName + "|" + alert.metric, alert.startedAt);
    }

    private static Detected incomplete(Alert alert) {
        // the alert's own start is the span's timeout; the window starts at the span's start
        return new Detected(Detected.INCOMPLETE_SPAN, alert.traceId + "/" + alert.spanId, alert.windowStart);
    }

    /** Every match of the counter over one subject's evaluations, in the order they come. */
    static final class Matches extends KeyedProcessFunction<String, MetricEvaluation, Alert> {
        private final SustainedBreachRule rule;
        private transient ValueState<SustainedBreachRule.Recent> recent;

        Matches(TraceAnalyticsConfig config) {
            this.rule = new SustainedBreachRule(config.patterns().sustainedBreach());
        }

        @Override
        public void open(OpenContext openContext) {
            recent = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("recent", SustainedBreachRule.Recent.class));
        }

        @Override
        public void processElement(MetricEvaluation evaluation, Context ctx, Collector<Alert> out) throws Exception {
            SustainedBreachRule.Recent subject = recent.value();
            if (subject == null) {
                subject = new SustainedBreachRule.Recent();
            }
            rule.count(evaluation, subject, signal -> {
                if (signal.evaluationResult == AlertState.TRIGGERED) {
                    out.collect(signal);
                }
            });
            recent.update(subject);
        }
    }
}
