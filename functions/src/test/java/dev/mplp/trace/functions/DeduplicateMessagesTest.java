package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateMessagesTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant T0_PLUS_1M = T0.plus(Duration.ofMinutes(1));
    private static final Instant WINDOW_END = T0.plus(WINDOW);
    private static final int PAYLOAD_LIMIT = 20;

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateMessages(WINDOW, PAYLOAD_LIMIT)),
                event -> event.messageId,
                org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void passesTheFirstCopyAndDeadLettersTheNextWithWhereTheFirstCameFrom() throws Exception {
        harness.processElement(record(event("msg-1", T0, "file:a.jsonl:1", "{\"a\":1}")));
        harness.processElement(record(event("msg-1", T0_PLUS_1M, "file:a.jsonl:7", "{\"a\":1}")));

        assertThat(harness.extractOutputValues()).extracting(e -> e.sourcePosition).containsExactly("file:a.jsonl:1");
        List<DeadLetter> duplicates = deadLetters();
        assertThat(duplicates).hasSize(1);
        DeadLetter duplicate = duplicates.get(0);
        assertThat(duplicate.reason).isEqualTo(DeadLetterReason.DUPLICATE);
        assertThat(duplicate.messageId).isEqualTo("msg-1");
        assertThat(duplicate.sourcePosition).isEqualTo("file:a.jsonl:7");
        assertThat(duplicate.detail).contains("file:a.jsonl:1");
        assertThat(duplicate.rawPayload).isEqualTo("{\"a\":1}");
        assertThat(duplicate.payloadTruncated).isFalse();
    }

    @Test
    void distinctIdsAllPass() throws Exception {
        harness.processElement(record(event("msg-1", T0, "p1", "{}")));
        harness.processElement(record(event("msg-2", T0, "p2", "{}")));

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void forgetsAnIdOnceItsWindowHasPassedInEventTime() throws Exception {
        harness.processElement(record(event("msg-1", T0, "p1", "{}")));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(WINDOW_END.toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(WINDOW_END.toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // a copy after the window is a new message again
        harness.processElement(record(event("msg-1", WINDOW_END.plusSeconds(1), "p2", "{}")));
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void cutsTheDeadLetterPayloadToTheLimitAndSaysSo() throws Exception {
        String payload = "{\"padding\":\"" + "x".repeat(100) + "\"}";
        harness.processElement(record(event("msg-1", T0, "p1", payload)));
        harness.processElement(record(event("msg-1", T0, "p2", payload)));

        DeadLetter duplicate = deadLetters().get(0);
        assertThat(duplicate.rawPayload).hasSize(PAYLOAD_LIMIT).isEqualTo(payload.substring(0, PAYLOAD_LIMIT));
        assertThat(duplicate.rawPayloadBytes).isEqualTo(payload.length());
        assertThat(duplicate.payloadTruncated).isTrue();
    }

    private List<DeadLetter> deadLetters() {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side = harness.getSideOutput(DeduplicateMessages.DUPLICATES);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static StreamRecord<TraceEvent> record(TraceEvent event) {
        return new StreamRecord<>(event, event.eventTime);
    }

    private static TraceEvent event(String messageId, Instant at, String position, String payload) {
        TraceEvent event = new TraceEvent();
        event.messageId = messageId;
        event.messageType = MessageType.UPDATE;
        event.eventTime = at.toEpochMilli();
        event.sourcePosition = position;
        event.payload = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return event;
    }
}
