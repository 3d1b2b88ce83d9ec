package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanLifecycleTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final Duration INACTIVITY = Duration.ofHours(1);

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant UPDATED = STARTED.plusSeconds(2);
    private static final Instant MEASURED = STARTED.plusSeconds(3);
    private static final Instant COMPLETED = STARTED.plusMillis(4_250);
    private static final Instant AFTER_COMPLETION = COMPLETED.plusSeconds(5);

    private final TraceEvents span = TraceEvents.span(TRACE, SPAN).in("checkout", "charge");

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, CompletedSpan> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new SpanLifecycle(new TraceAnalyticsConfig.SpanLifetime(LATENESS, INACTIVITY))),
                SequenceSpanEvents::key,
                Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void joinsStartUpdatesMetricsAndCompletionIntoOneCompletedSpan() throws Exception {
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 3_000.0).record());
        harness.processElement(span.update(UPDATED, m -> m.errorCount = 2L).record());
        harness.processElement(span.metrics(MEASURED, m -> m.errorCount = 1L).record());
        harness.processElement(span.completion(COMPLETED, m -> m.durationMs = 4_200.0).failed().record());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(done -> {
            assertThat(done.traceId).isEqualTo(TRACE);
            assertThat(done.spanId).isEqualTo(SPAN);
            assertThat(done.serviceName).isEqualTo("checkout");
            assertThat(done.operationName).isEqualTo("charge");
            assertThat(done.spanKind).isEqualTo("server");
            assertThat(done.startTime).isEqualTo(STARTED.toEpochMilli());
            assertThat(done.endTime).isEqualTo(COMPLETED.toEpochMilli());
            assertThat(done.durationMs).as("the completion's own total").isEqualTo(4_200.0);
            assertThat(done.statusCode).isEqualTo("error");
            assertThat(done.success).isFalse();
            assertThat(done.error).isTrue();
            assertThat(done.errorCount).isEqualTo(3);
            assertThat(done.messageCount).isEqualTo(4);
            assertThat(done.thresholds.durationMs).isEqualTo(3_000.0);
        });
    }

    @Test
    void withoutAReportedTotalTheDurationIsEndMinusStart() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(done -> {
            assertThat(done.durationMs).isEqualTo(4_250.0);
            assertThat(done.error).isFalse();
        });
    }

    @Test
    void aCompletionWithoutItsStartStillGivesASpanWithoutNames() throws Exception {
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(done -> {
            assertThat(done.serviceName).isNull();
            assertThat(done.startTime).isEqualTo(UPDATED.toEpochMilli());
        });
    }

    @Test
    void messagesAfterTheCompletionAreIgnoredAndTheSpanIsForgottenAfterTheLateness() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processElement(span.metrics(AFTER_COMPLETION, m -> {}).record());
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void aSpanThatNeverCompletesLeavesNoStateOrTimerAfterTheInactivityTimeout() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.update(UPDATED, m -> {}).record());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli());

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsItsProgressAsAPojo() {
        assertSerializedAsPojoWithoutKryo(SpanLifecycle.SpanProgress.class);
    }
}
