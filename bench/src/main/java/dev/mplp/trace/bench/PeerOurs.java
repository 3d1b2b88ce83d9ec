package dev.mplp.trace.bench;

import dev.mplp.trace.cep.MetricEvaluation;
import dev.mplp.trace.cep.PatternsForBench;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Ours in row 7: the project's own {@code sustained_breach} pattern (Flink CEP, the same {@code Pattern} and match
 * function the pipeline runs) and the span session's {@code incomplete_span} rule on the embedded Flink, detection
 * only: no incident tracking of the pattern, no parsing.
 */
final class PeerOurs {

    static final String ENGINE = "ours (CEP sustained breach, span-session incomplete span)";

    private PeerOurs() {}

    static PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws Exception {
        PeerFlink flink = new PeerFlink();
        DataStream<MetricEvaluation> evaluations = flink.evaluations(input.evaluations());
        DataStream<Detected> breaches = CEP.pattern(evaluations.keyBy(MetricEvaluation::subject),
                        PatternsForBench.sustainedBreachPattern(config), PatternsForBench.sameTimeOrder())
                .inEventTime()
                .process(PatternsForBench.sustainedBreachAlerts(config))
                .name("sustained-breach-pattern")
                .map(PeerOurs::sustained)
                .name("sustained-breach-detected");

        DataStream<TraceEvent> spans = flink.startsAndCompletions(input.startsAndCompletions())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.eventTime))
                .name("span-times");
        // the span session's incomplete-span rule (its housekeeping timer), as the pipeline runs it
        DataStream<Detected> incompleteSpans = spans.keyBy(SpanSession::key)
                .process(new SpanSession(config))
                .name("span-session")
                .getSideOutput(SpanSession.ALERTS)
                .filter(alert -> alert.evaluationResult == AlertState.TRIGGERED)
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
}
