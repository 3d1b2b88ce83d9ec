package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SpanSession#keyedAsReleased}: the per-span functions read the span session's output without another
 * shuffle, at parallelism 2, so each span's state must be on the subtask that released the span; a stream
 * partitioned otherwise must fail, not count a span's messages in two places.
 */
class KeyedAsReleasedITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final int SPANS = 40;
    private static final int UPDATES = 5;

    @Test
    void everySpanIsCountedInOnePlaceAfterTheSpanSession() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        DataStream<TraceEvent> released = timed(env)
                .keyBy(SpanSession::key)
                .process(new SpanSession(
                        new TraceAnalyticsConfig.SpanLifetime(Duration.ofMinutes(1), Duration.ofMinutes(5)),
                        new IncompleteSpanRule(1000, new TraceAnalyticsConfig.IncompleteSpan(2, Duration.ofMinutes(10)),
                                Duration.ofMinutes(5)),
                        new ThresholdRule(ConfigLoader.defaults().detection())));

        DataStream<Count> counted = SpanSession.keyedAsReleased(released)
                .process(new RunningCount())
                .name("running-count");

        // read where the span session released them: no shuffle in between
        StreamGraph graph = env.getStreamGraph(false);
        assertThat(graph.getStreamNodes()).filteredOn(node -> node.getOperatorName().equals("running-count"))
                .singleElement()
                .satisfies(node -> assertThat(node.getInEdges()).singleElement()
                        .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(ForwardPartitioner.class)));
        Map<String, Long> counts = new TreeMap<>();
        try (CloseableIterator<Count> results = counted.executeAndCollect()) {
            results.forEachRemaining(count -> counts.merge(count.span, count.seen, Math::max));
        }

        assertThat(counts).hasSize(SPANS).allSatisfy((span, seen) -> assertThat(seen).isEqualTo(1 + UPDATES));
    }

    @Test
    void aStreamNotPartitionedBySpanFailsInsteadOfSplittingSpans() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(MiniClusters.PARALLELISM);
        // round robin over both subtasks: each span's messages end up on both
        DataStream<TraceEvent> spread = timed(env).rebalance().map(event -> event).returns(TraceEvent.class);

        assertThatThrownBy(() -> {
                    try (CloseableIterator<Count> results = SpanSession.keyedAsReleased(spread)
                            .process(new RunningCount())
                            .executeAndCollect()) {
                        results.forEachRemaining(count -> {});
                    }
                })
                .hasStackTraceContaining("is not in KeyGroupRange");
    }

    /** Every span's start and updates, interleaved across spans, with event-time watermarks. */
    private static DataStream<TraceEvent> timed(StreamExecutionEnvironment env) {
        List<TraceEvent> events = new ArrayList<>();
        for (int s = 0; s < SPANS; s++) {
            TraceEvents span = TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", String.format("%016x", s + 1))
                    .in("orders", "reserve_stock");
            events.add(span.start(T0.plusMillis(s)).event);
            for (int u = 1; u <= UPDATES; u++) {
                events.add(span.update(T0.plusSeconds(u).plusMillis(s), values -> {}).event);
            }
        }
        events.sort((a, b) -> Long.compare(a.eventTime, b.eventTime));
        return env.fromData(events, TypeInformation.of(TraceEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((event, previous) -> event.eventTime));
    }

    /** How many messages of its span a subtask has seen so far. */
    public static class Count {
        public String span;
        public long seen;

        public Count() {}

        Count(String span, long seen) {
            this.span = span;
            this.seen = seen;
        }
    }

    /** Counts each span's messages in keyed state, with an event-time timer per span, as the detectors keep state. */
    static class RunningCount extends KeyedProcessFunction<String, TraceEvent, Count> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        }

        @Override
        public void processElement(TraceEvent event, Context ctx, Collector<Count> out) throws Exception {
            long now = seen.value() == null ? 1 : seen.value() + 1;
            seen.update(now);
            ctx.timerService().registerEventTimeTimer(event.eventTime + 60_000);
            out.collect(new Count(ctx.getCurrentKey(), now));
        }
    }
}
