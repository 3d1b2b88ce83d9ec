package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.SideOutputs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DeduplicateMessages} in Flink's keyed harness, keyed as the pipeline keys it ({@link DeduplicateMessages#shardOf}).
 */
class DeduplicateMessagesTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant T0_PLUS_1M = T0.plus(Duration.ofMinutes(1));
    /** T0's bucket (a tenth of the window: [T0, T0 + 1 min)) ends at T0_PLUS_1M: its ids are forgotten a window later. */
    private static final Instant FORGET_AT = T0_PLUS_1M.plus(WINDOW);
    private static final int PAYLOAD_LIMIT = 20;

    private KeyedOneInputStreamOperatorTestHarness<Integer, TraceEvent, TraceEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, TraceEvent, TraceEvent> harness(
            OperatorSubtaskState restored) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, TraceEvent, TraceEvent> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeduplicateMessages(WINDOW, PAYLOAD_LIMIT)),
                        DeduplicateMessages::shardOf,
                        org.apache.flink.api.common.typeinfo.Types.INT);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    @Test
    void passesTheFirstCopyAndDeadLettersTheNext() throws Exception {
        harness.processElement(record(event("msg-1", T0, "file:a.jsonl:1", "{\"a\":1}")));
        harness.processElement(record(event("msg-1", T0_PLUS_1M, "file:a.jsonl:7", "{\"a\":1}")));

        assertThat(harness.extractOutputValues()).extracting(e -> e.sourcePosition).containsExactly("file:a.jsonl:1");
        List<DeadLetter> duplicates = deadLetters();
        assertThat(duplicates).hasSize(1);
        DeadLetter duplicate = duplicates.get(0);
        assertThat(duplicate.reason).isEqualTo(DeadLetterReason.DUPLICATE);
        assertThat(duplicate.messageId).isEqualTo("msg-1");
        assertThat(duplicate.sourcePosition).isEqualTo("file:a.jsonl:7");
        assertThat(duplicate.detail).isEqualTo("message_id already accepted");
        assertThat(duplicate.rawPayload).isEqualTo("{\"a\":1}");
        assertThat(duplicate.payloadTruncated).isFalse();
        assertThat(duplicate.eventTime).as("the duplicate's own event time").isEqualTo(T0_PLUS_1M.toEpochMilli());
    }

    @Test
    void distinctIdsAllPass() throws Exception {
        harness.processElement(record(event("msg-1", T0, "p1", "{}")));
        harness.processElement(record(event("msg-2", T0, "p2", "{}")));

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void forgetsAnIdAWindowAfterItsBucketEndsInEventTime() throws Exception {
        harness.processElement(record(event("msg-1", T0, "p1", "{}")));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(FORGET_AT.toEpochMilli() - 1);
        harness.processElement(record(event("msg-1", FORGET_AT.minusMillis(1), "p2", "{}")));
        assertThat(deadLetters()).as("still remembered a window after the first copy").hasSize(1);

        harness.processWatermark(FORGET_AT.toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // a copy after that is a new message again
        harness.processElement(record(event("msg-1", FORGET_AT.plusSeconds(1), "p3", "{}")));
        assertThat(harness.extractOutputValues()).extracting(e -> e.sourcePosition).containsExactly("p1", "p3");
    }

    @Test
    void idsOfOneShardShareOneStateEntryAndOneTimerPerBucket() throws Exception {
        List<String> sameShard = IntStream.range(0, 2_000_000).mapToObj(i -> "msg-" + i)
                .filter(id -> DeduplicateMessages.shardOf(event(id, T0, "p", "{}")) == 7)
                .limit(200)
                .toList();
        assertThat(sameShard).hasSize(200);
        for (int i = 0; i < sameShard.size(); i++) {
            // three buckets: the first, the second and the fourth minute
            Instant at = T0.plus(Duration.ofMinutes(i % 3 == 2 ? 3 : i % 3)).plusSeconds(i % 50);
            harness.processElement(record(event(sameShard.get(i), at, "p" + i, "{}")));
        }
        for (String id : sameShard) {
            harness.processElement(record(event(id, T0.plusSeconds(30), "again", "{}")));
        }

        assertThat(harness.extractOutputValues()).hasSize(200);
        assertThat(deadLetters()).hasSize(200).allSatisfy(d -> assertThat(d.sourcePosition).isEqualTo("again"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(T0.plus(Duration.ofMinutes(4)).plus(WINDOW).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRestoredOperatorRemembersTheIdsOfItsSnapshot() throws Exception {
        harness.processElement(record(event("msg-1", T0, "p1", "{}")));
        harness.processElement(record(event("msg-2", T0_PLUS_1M, "p2", "{}")));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = harness(snapshot);
        assertThat(harness.numEventTimeTimers()).as("the timers came back with the state").isEqualTo(2);
        harness.processElement(record(event("msg-2", T0_PLUS_1M, "p3", "{}")));
        harness.processElement(record(event("msg-3", T0_PLUS_1M, "p4", "{}")));

        assertThat(harness.extractOutputValues()).extracting(e -> e.sourcePosition).containsExactly("p4");
        assertThat(deadLetters()).extracting(d -> d.sourcePosition).containsExactly("p3");
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
        return SideOutputs.of(harness, DeduplicateMessages.DUPLICATES);
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
