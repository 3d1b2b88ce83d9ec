package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequenceSpanEventsTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final Duration INACTIVITY = Duration.ofHours(1);

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant UPDATED = STARTED.plusSeconds(10);
    private static final Instant MEASURED = STARTED.plusSeconds(20);
    private static final Instant COMPLETED = STARTED.plusSeconds(30);
    private static final Instant METRICS_AFTER_COMPLETION = COMPLETED.plusSeconds(15);

    private final TraceEvents span = TraceEvents.span(TRACE, "00f067aa0ba902b7").in("checkout", "charge");

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new SequenceSpanEvents(new TraceAnalyticsConfig.SpanLifetime(LATENESS, INACTIVITY))),
                SequenceSpanEvents::key,
                Types.STRING);
        harness.open();
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
        assertThat(harness.getSideOutput(SequenceSpanEvents.LATE))
                .extracting(StreamRecord::getValue)
                .extracting(e -> e.messageType)
                .containsExactly(MessageType.UPDATE);
    }

    @Test
    void keepsTheNamesForTheAllowedLatenessAfterTheCompletionThenForgetsTheSpan() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.completion(COMPLETED, m -> {}).record());
        harness.processElement(span.metrics(METRICS_AFTER_COMPLETION, m -> {}).record());
        harness.processWatermark(METRICS_AFTER_COMPLETION.toEpochMilli());
        assertThat(released()).last().satisfies(e -> assertThat(e.serviceName).isEqualTo("checkout"));

        harness.processWatermark(COMPLETED.plus(LATENESS).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSpanThatFallsSilentIsForgottenAfterTheInactivityTimeout() throws Exception {
        harness.processElement(span.start(STARTED).record());
        harness.processElement(span.update(UPDATED, m -> {}).record());
        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(UPDATED.plus(INACTIVITY).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsItsNamesAsAPojo() {
        assertSerializedAsPojoWithoutKryo(SequenceSpanEvents.SpanNames.class);
    }

    private List<TraceEvent> released() {
        return harness.extractOutputValues();
    }
}
