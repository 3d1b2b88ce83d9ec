package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.functions.SustainedBreachRule;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Row 7's floor: {@link PeerOurs}' job with functions that do nothing. The same sources, event times, watermarks and
 * keyed shuffles (the same keys and types, so the same serializers), into keyed functions that keep no state, set no
 * timer and emit nothing; timed as the peers are. What is left of ours' time above it is its detection: state,
 * timers and rules. A Flink job keyed as ours is cannot detect faster than this on the same machine.
 */
final class PeerFloor {

    static final String ENGINE = "Flink floor (ours' sources and keyed shuffles, functions that do nothing)";

    private PeerFloor() {}

    static PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws Exception {
        PeerFlink flink = new PeerFlink(config);
        DataStream<Detected> evaluations = flink.evaluations(input.evaluations())
                .keyBy(SustainedBreachRule::subject)
                .process(new Nothing<String, MetricEvaluation>())
                .name("evaluations-keyed");
        DataStream<Detected> spans = flink.startsAndCompletions(input.startsAndCompletions())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.eventTime))
                .name("span-times")
                .keyBy(SpanSession::key, SpanSession.KEY_TYPE)
                .process(new Nothing<String, TraceEvent>())
                .name("spans-keyed");
        flink.collect(evaluations.union(spans), "collect");
        return flink.execute(ENGINE, input.size());
    }

    /** Takes each element and does nothing with it. */
    private static final class Nothing<K, T> extends KeyedProcessFunction<K, T, Detected> {
        @Override
        public void processElement(T element, Context ctx, Collector<Detected> out) {}
    }
}
