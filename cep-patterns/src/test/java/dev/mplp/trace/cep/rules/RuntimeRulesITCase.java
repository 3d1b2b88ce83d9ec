package dev.mplp.trace.cep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.cep.AlertLifecycle;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control stream wired into a job: refused documents become dead letters, and event time keeps going. */
class RuntimeRulesITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.defaults();

    @Test
    void anInvalidRuleDocumentIsDeadLetteredWithItsReason() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RuntimeRules.Rules rules = RuntimeRules.read(documents(env,
                "{\"version\": 1, \"silences\": [{\"service\": \"search\"}]}", "{\"version\": 1}", "oops"));

        List<DeadLetter> rejected = collect(rules.rejected());

        assertThat(rejected).extracting(d -> d.reason)
                .containsExactlyInAnyOrder(DeadLetterReason.INVALID_TYPE, DeadLetterReason.MALFORMED_JSON);
        assertThat(rejected).extracting(d -> d.detail).allSatisfy(detail -> assertThat(detail).startsWith("rule"));
        assertThat(rejected).extracting(d -> d.rawPayload).containsExactlyInAnyOrder("{\"version\": 1}", "oops");
    }

    @Test
    void detectorsAndTheLifecycleRunWithTheRulesJoinedIn() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RuntimeRules.Rules rules = RuntimeRules.read(documents(env,
                "{\"version\": 1, \"silences\": [{\"service\": \"search\"}], \"thresholds\": {\"duration_ms\": 500}}"));
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TraceEvents stuck = TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", String.format("%016x", i + 1))
                    .in("orders", "reserve_stock");
            events.add(stuck.start(T0.plusSeconds(i), limits -> limits.durationMs = 1000.0).event);
        }
        DataStream<TraceEvent> sequenced = env.fromData(events, TypeInformation.of(TraceEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forBoundedOutOfOrderness(
                                Duration.ofSeconds(5))
                        .withTimestampAssigner((event, previous) -> event.eventTime));

        DataStream<Alert> incomplete = RuntimeRules.withRuledThresholds(sequenced, rules, CONFIG)
                .keyBy(SpanSession::key)
                .process(new SpanSession(CONFIG))
                .getSideOutput(SpanSession.ALERTS);
        List<Alert> sent = collect(AlertLifecycle.apply(incomplete, rules, CONFIG));

        assertThat(sent).filteredOn(a -> a.evaluationResult == AlertState.TRIGGERED).hasSize(5);
        assertThat(sent).filteredOn(a -> a.evaluationResult == AlertState.RESOLVED).hasSize(5);
    }

    private static DataStream<RawMessage> documents(StreamExecutionEnvironment env, String... texts) {
        List<RawMessage> documents = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            documents.add(RawMessage.of(texts[i], "file:rules.jsonl:" + (i + 1), 0));
        }
        return env.fromData(documents, TypeInformation.of(RawMessage.class));
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> results = new ArrayList<>();
        try (CloseableIterator<T> iterator = stream.executeAndCollect()) {
            iterator.forEachRemaining(results::add);
        }
        return results;
    }
}
