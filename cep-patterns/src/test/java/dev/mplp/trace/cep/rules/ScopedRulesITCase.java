package dev.mplp.trace.cep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.cep.AlertLifecycle;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The configuration's scoped rules in a job: a scoped duration limit sets the timeout of the spans of the operations
 * it names and no others, and a silence by regular expression with an expiry in event time drops the incidents
 * that started before it expired and none after.
 */
class ScopedRulesITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void scopedThresholdsAndAnExpiringSilenceApplyToTheirServicesAndOperationsOnly() throws Exception {
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "parallelism.default", "2",
                "detection.thresholds.scoped",
                "[{service: orders, operation: '~reserve.*', thresholds: {duration_ms: 1000}}]",
                "lifecycle.silences",
                "[{service: '~ord.*', alert-type: incomplete_span, ends-at: '" + T0.plusSeconds(4) + "'}]"));
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(TraceEvents.span(TRACE, String.format("%016x", i + 1)).in("orders", "reserve_stock")
                    .start(T0.plusSeconds(i)).event);
        }
        events.add(TraceEvents.span(TRACE, "00000000000000aa").in("payments", "charge").start(T0).event);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<TraceEvent> messages = env.fromData(events, TypeInformation.of(TraceEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forBoundedOutOfOrderness(
                                Duration.ofSeconds(5))
                        .withTimestampAssigner((event, previous) -> event.eventTime));

        DataStream<Alert> incomplete = RuntimeRules.withScopedThresholds(messages, config)
                .keyBy(SpanSession::key)
                .process(new SpanSession(config))
                .getSideOutput(SpanSession.ALERTS);
        List<Alert> sent = new ArrayList<>();
        try (CloseableIterator<Alert> iterator = AlertLifecycle.apply(incomplete, config).executeAndCollect()) {
            iterator.forEachRemaining(sent::add);
        }

        // orders/reserve_stock: timeout 2 × 1000 ms; the incidents of the first two spans started (T0+2s, T0+3s)
        // before the silence expired (T0+4s), the others after; payments: the default limit, and no silence
        assertThat(sent).filteredOn(alert -> alert.evaluationResult == AlertState.TRIGGERED)
                .extracting(alert -> alert.spanId, alert -> alert.thresholdValue, alert -> Instant.ofEpochMilli(alert.startedAt))
                .containsExactlyInAnyOrder(
                        tuple("0000000000000003", 2000.0, T0.plusSeconds(4)),
                        tuple("0000000000000004", 2000.0, T0.plusSeconds(5)),
                        tuple("00000000000000aa", 2 * config.detection().thresholds().defaults().durationMs(),
                                T0.plus(Duration.ofMillis(
                                        (long) (2 * config.detection().thresholds().defaults().durationMs())))));
        assertThat(sent).filteredOn(alert -> alert.evaluationResult == AlertState.RESOLVED).hasSize(3);
    }
}
