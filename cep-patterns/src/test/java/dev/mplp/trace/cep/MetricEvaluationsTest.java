package dev.mplp.trace.cep;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MetricEvaluationsTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private final TraceEvents span =
            TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7").in("checkout", "place_order");

    @Test
    void eachReportedValueIsEvaluatedAgainstTheTracesOwnLimitElseTheDefault() throws Exception {
        try (var harness = harness()) {
            harness.processElement(span.start(T0, limits -> limits.cpuUsagePercent = 50.0).record());
            harness.processElement(named(span.update(T0.plusSeconds(1), m -> {
                m.cpuUsagePercent = 60.0;
                m.memoryUsageMb = 100.0;
                m.durationMs = 99_999.0;
            })).record());

            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.metric, e -> e.value, e -> e.limit, e -> e.breached)
                    .containsExactly(
                            tuple("cpu_usage_percent", 60.0, 50.0, true),
                            tuple("memory_usage_mb", 100.0, 2048.0, false));
        }
    }

    @Test
    void messagesOfASpanWhoseStartWasNotSeenAreNotEvaluated() throws Exception {
        try (var harness = harness()) {
            harness.processElement(span.metrics(T0, m -> m.cpuUsagePercent = 99.0).record());

            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void nothingIsLeftAfterTheCompletionOrAfterInactivity() throws Exception {
        try (var harness = harness()) {
            harness.processElement(span.start(T0, limits -> limits.cpuUsagePercent = 50.0).record());
            harness.processElement(named(span.completion(T0.plusSeconds(5), m -> {})).record());
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();

            TraceEvents other = TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", "b7ad6b7169203331");
            harness.processElement(other.start(T0, limits -> limits.cpuUsagePercent = 50.0).record());
            harness.processWatermark(T0.plusSeconds(3601).toEpochMilli());
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEvaluationSerializesAsAPojo() {
        assertSerializedAsPojoWithoutKryo(MetricEvaluation.class);
    }

    /** As SpanSession passes them on: with the span's service and operation. */
    private static TraceEvents.Built named(TraceEvents.Built built) {
        built.event.serviceName = "checkout";
        built.event.operationName = "place_order";
        return built;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, MetricEvaluation> harness()
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MetricEvaluations(ConfigLoader.defaults().detection())),
                SpanSession::key,
                Types.STRING);
        harness.open();
        return harness;
    }
}
