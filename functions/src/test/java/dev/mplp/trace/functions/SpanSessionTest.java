package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.SideOutputs;
import dev.mplp.trace.testing.SpanSessionHarness;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanSessionTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final Duration INACTIVITY = Duration.ofHours(1);
    /** Without its own limit a span is incomplete 2 x 1000 ms after its start; never later than 10 minutes. */
    private static final IncompleteSpanRule INCOMPLETE = new IncompleteSpanRule(
            1000, new TraceAnalyticsConfig.IncompleteSpan(2.0, Duration.ofMinutes(10)), INACTIVITY);

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant UPDATED = STARTED.plusSeconds(10);
    private static final Instant MEASURED = STARTED.plusSeconds(20);
    private static final Instant COMPLETED = STARTED.plusMillis(30_250);
    private static final Instant AFTER_COMPLETION = COMPLETED.plusSeconds(15);
    /** A collector clock 300 ms ahead of the span's own: its metrics seem to precede the start. */
    private static final Instant MEASURED_BEFORE_START = STARTED.minusMillis(300);

    private final TraceEvents span = TraceEvents.span(TRACE, SPAN).in("checkout", "charge");

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = SpanSessionHarness.open(new SpanSession(new TraceAnalyticsConfig.SpanLifetime(LATENESS, INACTIVITY),
                INCOMPLETE, new ThresholdRule(ConfigLoader.defaults().detection())));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void releasesInEventTimeOrderOnceTheWatermarkPassesAndNamesEveryMessageAfterTheStart() throws Exception {
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processElement(span.metrics(MEASURED, m -> m.cpuUsagePercent = 50.0).record());
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processElement(span.start(STARTED).record());
        assertThat(released()).isEmpty();

        harness.processWatermark(UPDATED.toEpochMilli());
        assertThat(released()).extracting(e -> e.messageType).containsExactly(MessageType.START, MessageType.UPDATE);

        harness.processWatermark(COMPLETED.toEpochMilli());
        List<TraceEvent> released = released();
        assertThat(released)
                .extracting(e -> e.messageType)
                .containsExactly(MessageType.START, MessageType.UPDATE, MessageType.METRICS, MessageType.COMPLETE);
        assertThat(released).allSatisfy(e -> {
            assertThat(e.serviceName).isEqualTo("checkout");
            assertThat(e.operationName).isEqualTo("charge");
        });
    }

    @Test
    void messagesThatPrecedeTheirStartWithinTheHoldAreNamedAfterIt() throws Exception {
        harness.processElement(span.metrics(MEASURED_BEFORE_START, m -> m.cpuUsagePercent = 95.0).record());
        harness.processElement(span.start(STARTED).record());

        harness.processWatermark(MEASURED_BEFORE_START.toEpochMilli());
        assertThat(released()).singleElement().satisfies(metrics -> {
            assertThat(metrics.messageType).isEqualTo(MessageType.METRICS);
            assertThat(metrics.serviceName).as("from the start waiting in the buffer").isEqualTo("checkout");
            assertThat(metrics.operationName).isEqualTo("charge");
        });
    }

    @Test
    void aMessageWhoseStartIsNeitherReleasedNorWaitingStaysUnnamed() throws Exception {
        harness.processElement(span.metrics(MEASURED_BEFORE_START, m -> {}).record());
        harness.processWatermark(MEASURED_BEFORE_START.toEpochMilli());

        assertThat(released()).singleElement().satisfies(metrics -> assertThat(metrics.serviceName).isNull());
    }

    @Test
    void messagesAtTheSameInstantGoInProtocolOrderThenByMessageId() throws Exception {
        harness.processElement(span.completion(STARTED, m -> {}).record());
        harness.processElement(span.update(STARTED, m -> {}).messageId("msg-b").record());
        harness.processElement(span.update(STARTED, m -> {}).messageId("msg-a").record());
        harness.processElement(span.start(STARTED).record());

        harness.processWatermark(STARTED.toEpochMilli());

        assertThat(released())
                .extracting(e -> e.messageType + " " + (e.messageType == MessageType.UPDATE ? e.messageId : ""))
                .containsExactly("START ", "UPDATE msg-a", "UPDATE msg-b", "COMPLETE ");
    }

    @Test
    void aMessageBehindTheWatermarkIsSetAsideAndCounted() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processWatermark(MEASURED.toEpochMilli());

        harness.processElement(span.update(UPDATED, m -> {}).record());

        assertThat(released()).extracting(e -> e.messageType).containsExactly(MessageType.START);
        assertThat(harness.getSideOutput(SpanSession.LATE))
                .extracting(StreamRecord::getValue)
                .extracting(e -> e.messageType)
                .containsExactly(MessageType.UPDATE);
    }

    @Test
    void joinsStartUpdatesMetricsAndCompletionIntoOneCompletedSpan() throws Exception {
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 3_000.0).record());
        harness.processElement(span.update(UPDATED, m -> m.errorCount = 2L).record());
        harness.processElement(span.metrics(MEASURED, m -> m.errorCount = 1L).record());
        harness.processElement(span.completion(COMPLETED, m -> m.durationMs = 4_200.0).failed().record());
        harness.processWatermark(COMPLETED.toEpochMilli());

        assertThat(completed()).singleElement().satisfies(done -> {
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
        harness.processWatermark(COMPLETED.toEpochMilli());

        assertThat(completed()).singleElement().satisfies(done -> {
            assertThat(done.durationMs).isEqualTo(30_250.0);
            assertThat(done.error).isFalse();
        });
    }

    @Test
    void aSpanThatEntersWholeAtItsEndKeepsItsOwnStartAndIsNeitherLateNorIncomplete() throws Exception {
        // as OTLP input gives it: start and completion at the span's end, its start time a field
        TraceEvents.Built start = span.start(COMPLETED);
        start.event.spanStartTime = STARTED.toEpochMilli();
        TraceEvents.Built completion = span.completion(COMPLETED, m -> m.durationMs = 30_250.0);
        completion.event.otlpResidual = new byte[] {0x1a, 0x01, 0x78}; // opaque to the session
        // the watermark trails the span's end by less than it lasted: far past its start
        harness.processWatermark(UPDATED.toEpochMilli());
        harness.processElement(start.record());
        harness.processElement(completion.record());

        harness.processWatermark(COMPLETED.toEpochMilli());

        assertThat(harness.getSideOutput(SpanSession.LATE)).isNull();
        assertThat(completed()).singleElement().satisfies(done -> {
            assertThat(done.startTime).isEqualTo(STARTED.toEpochMilli());
            assertThat(done.endTime).isEqualTo(COMPLETED.toEpochMilli());
            assertThat(done.durationMs).isEqualTo(30_250.0);
            assertThat(done.serviceName).isEqualTo("checkout");
            assertThat(done.otlpResidual).isEqualTo(completion.event.otlpResidual);
        });
        assertThat(alerts()).as("complete at once, though it lasted 15 times its timeout").isEmpty();
    }

    @Test
    void aCompletionWithoutItsStartStillGivesASpanWithoutNames() throws Exception {
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processWatermark(COMPLETED.toEpochMilli());

        assertThat(completed()).singleElement().satisfies(done -> {
            assertThat(done.serviceName).isNull();
            assertThat(done.startTime).isEqualTo(UPDATED.toEpochMilli());
        });
    }

    @Test
    void keepsTheNamesForTheAllowedLatenessAfterTheCompletionWithoutJoiningThenForgetsTheSpan() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processElement(span.metrics(AFTER_COMPLETION, m -> {}).record());
        harness.processWatermark(AFTER_COMPLETION.toEpochMilli());
        assertThat(released()).last().satisfies(e -> assertThat(e.serviceName).isEqualTo("checkout"));
        assertThat(completed()).singleElement().satisfies(done -> assertThat(done.messageCount).isEqualTo(2));

        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(completed()).hasSize(1);
    }

    @Test
    void aSpanThatFallsSilentIsIncompleteThenGivenUpWithOneHousekeepingTimerAndForgotten() throws Exception {
        Instant incompleteAt = STARTED.plusSeconds(2);
        Instant givenUpAt = incompleteAt.plus(INACTIVITY);
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processWatermark(UPDATED.toEpochMilli());
        assertThat(harness.numEventTimeTimers()).as("the housekeeping timer only").isEqualTo(1);
        assertThat(alerts()).singleElement().satisfies(opened -> {
            assertThat(opened.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(opened.alertId).isEqualTo(Alert.idOf(IncompleteSpanRule.ALERT_TYPE, TRACE + "/" + SPAN,
                    IncompleteSpanRule.RULE_ID, incompleteAt.toEpochMilli()));
            assertThat(opened.startedAt).isEqualTo(incompleteAt.toEpochMilli());
            assertThat(opened.thresholdValue).isEqualTo(2000.0);
            assertThat(opened.serviceName).isEqualTo("checkout");
        });

        harness.processWatermark(givenUpAt.toEpochMilli() - 1);
        assertThat(alerts()).hasSize(1);
        harness.processWatermark(givenUpAt.toEpochMilli());
        assertThat(alerts()).hasSize(2).last().satisfies(resolved -> {
            assertThat(resolved.alertId).isEqualTo(alerts().get(0).alertId);
            assertThat(resolved.resolution).isEqualTo(AlertResolution.SPAN_EXPIRED);
            assertThat(resolved.evaluationTimestamp).isEqualTo(givenUpAt.toEpochMilli());
        });

        // given up, it is kept until inactive for the timeout after its last message
        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli());

        assertThat(alerts()).hasSize(2);
        assertThat(completed()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSpanReleasedMessageByMessageIsForgottenOnlyAfterTheTimeoutFromItsLastMessage() throws Exception {
        // no start, so no incomplete deadline: only the inactivity timeout, which each release moves later
        Instant last = MEASURED;
        for (Instant at : List.of(UPDATED, UPDATED.plusSeconds(5), last)) {
            harness.processElement(span.update(at, m -> {}).record());
            harness.processWatermark(at.toEpochMilli());
            assertThat(harness.numEventTimeTimers()).as("one housekeeping timer").isEqualTo(1);
        }

        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).as("inactive for less than the timeout").isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(last.plus(INACTIVITY).toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(last.plus(INACTIVITY).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(released()).hasSize(3);
    }

    @Test
    void aSpanSilentBeforeItsOwnTimeoutIsForgottenOnlyWhenItsIncidentIsGivenUp() throws Exception {
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 60_000.0).record());
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli() - 1);
        assertThat(alerts()).singleElement().extracting(a -> a.startedAt)
                .isEqualTo(STARTED.plusSeconds(120).toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(STARTED.plusSeconds(120).plus(INACTIVITY).toEpochMilli());
        assertThat(alerts()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCompletionAfterTheSpansOwnTimeoutResolvesItsIncidentAndTheSpanIsForgotten() throws Exception {
        Instant incompleteAt = STARTED.plusSeconds(10);
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 5000.0).record());
        harness.processElement(span.completion(COMPLETED, m -> m.durationMs = 30_250.0).record());
        harness.processWatermark(COMPLETED.toEpochMilli());

        assertThat(alerts()).hasSize(2);
        Alert opened = alerts().get(0);
        Alert resolved = alerts().get(1);
        assertThat(opened.evaluationResult).isEqualTo(AlertState.TRIGGERED);
        assertThat(opened.evaluationTimestamp).isEqualTo(incompleteAt.toEpochMilli());
        assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.alertId).isEqualTo(opened.alertId);
        assertThat(resolved.resolution).isEqualTo(AlertResolution.SPAN_COMPLETED);
        assertThat(resolved.evaluationTimestamp).isEqualTo(COMPLETED.toEpochMilli());
        assertThat(resolved.actualValue).isEqualTo(30_250.0);

        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCompletionAtTheSpansOwnTimeoutIsInTime() throws Exception {
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 15_125.0).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());

        assertThat(alerts()).isEmpty();
        assertThat(completed()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCompletionArrivingBeforeItsStartWithinTheHoldStillCompletesIt() throws Exception {
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processElement(span.start(STARTED, limits -> limits.durationMs = 20_000.0).record());
        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());

        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void theTimeoutIsTheSpansOwnLimitElseTheDefaultTimesTheFactorCappedByTheMaximum() {
        Thresholds own = new Thresholds();
        own.durationMs = 1500.0;
        Thresholds huge = new Thresholds();
        huge.durationMs = 3_600_000.0;
        assertThat(INCOMPLETE.timeoutMillis(own)).isEqualTo(3000);
        assertThat(INCOMPLETE.timeoutMillis(null)).isEqualTo(2000);
        assertThat(INCOMPLETE.timeoutMillis(new Thresholds())).isEqualTo(2000);
        assertThat(INCOMPLETE.timeoutMillis(huge)).isEqualTo(Duration.ofMinutes(10).toMillis());
    }

    @Test
    void keepsItsSpanAsAPojo() {
        assertSerializedAsPojoWithoutKryo(SpanSession.OpenSpan.class);
    }

    private List<TraceEvent> released() {
        return harness.extractOutputValues();
    }

    /** The {@code incomplete_span} alerts so far ({@link ThresholdRuleTest} has the threshold breaches). */
    private List<Alert> alerts() {
        return SideOutputs.of(harness, SpanSession.ALERTS).stream()
                .filter(alert -> IncompleteSpanRule.ALERT_TYPE.equals(alert.alertType))
                .toList();
    }

    private List<CompletedSpan> completed() {
        return SideOutputs.of(harness, SpanSession.COMPLETED_SPANS);
    }
}
