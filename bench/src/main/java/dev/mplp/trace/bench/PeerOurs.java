package dev.mplp.trace.bench;

import dev.mplp.trace.cep.MetricEvaluation;
import dev.mplp.trace.cep.PatternsForBench;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Ours in row 7: the project's own {@code sustained_breach} and {@code incomplete_span} patterns (Flink CEP, the
 * same {@code Pattern}s and match functions the pipeline runs) on the embedded Flink, detection only: no incident
 * tracking, no sequencing (the input is already in order), no parsing.
 */
final class PeerOurs {

    static final String ENGINE = "ours (Flink CEP patterns)";

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
        SingleOutputStreamOperator<Alert> incomplete = CEP.pattern(spans.keyBy(SpanSession::key),
                        PatternsForBench.incompleteSpanPattern(config))
                .inEventTime()
                .process(PatternsForBench.incompleteSpanAlerts(config))
                .name("incomplete-span-pattern");
        DataStream<Detected> incompleteSpans = incomplete
                .union(incomplete.getSideOutput(PatternsForBench.incompleteSpansTimedOut()))
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
