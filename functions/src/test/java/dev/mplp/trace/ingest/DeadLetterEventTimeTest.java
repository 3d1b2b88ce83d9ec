package dev.mplp.trace.ingest;

import static dev.mplp.trace.testing.ProtocolMessages.completion;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.ProtocolMessages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The event time a dead letter carries (the archive partitions dead letters by it): a rejected message's valid
 * envelope {@code timestamp}, else its body's own time, else none (the archive then uses the ingest time).
 */
class DeadLetterEventTimeTest {

    private static final MessageValidator VALIDATOR =
            new MessageValidator(64 * 1024, 4096, Set.of(ProtocolMessages.PROTOCOL_VERSION));
    private static final Instant SENT = Instant.parse("2025-09-03T10:20:00Z");
    private static final Instant SPAN_STARTED = Instant.parse("2025-09-03T09:59:30Z");

    @Test
    void aRejectedMessageCarriesItsEnvelopeTimestamp() {
        DeadLetter letter = rejected(start().at(SPAN_STARTED).set("timestamp", SENT).traceId("not-hex").raw());

        assertThat(letter.reason).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
        assertThat(letter.eventTime).isEqualTo(SENT.toEpochMilli());
    }

    @Test
    void withoutAValidEnvelopeTimestampItCarriesTheBodysOwnTime() {
        DeadLetter withoutEnvelopeTime = rejected(completion().at(SPAN_STARTED).remove("timestamp").spanId("0").raw());
        DeadLetter badEnvelopeTime = rejected(start().at(SPAN_STARTED).set("timestamp", "yesterday").raw());

        assertThat(withoutEnvelopeTime.reason).isEqualTo(DeadLetterReason.INVALID_SPAN_ID);
        assertThat(withoutEnvelopeTime.eventTime).isEqualTo(SPAN_STARTED.toEpochMilli());
        assertThat(badEnvelopeTime.reason).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
        assertThat(badEnvelopeTime.eventTime).isEqualTo(SPAN_STARTED.toEpochMilli());
    }

    @Test
    void aRecordWithNoReadableTimeCarriesNone() {
        byte[] cutShort = "{\"timestamp\":\"2025-09-03T10:20:00Z\"".getBytes(StandardCharsets.UTF_8);
        DeadLetter notJson = rejected(new RawMessage(cutShort, cutShort.length, "file:x:1", 7L));
        DeadLetter noTimes = rejected(start().remove("timestamp").removeFromBody("start_time").raw());
        DeadLetter unknownType = rejected(start().remove("timestamp").set("message_type", "trace.other").raw());

        assertThat(notJson.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(notJson.eventTime).isNull();
        assertThat(noTimes.eventTime).isNull();
        assertThat(unknownType.reason).isEqualTo(DeadLetterReason.UNKNOWN_MESSAGE_TYPE);
        assertThat(unknownType.eventTime).isNull();
    }

    private static DeadLetter rejected(RawMessage raw) {
        Validated validated = VALIDATOR.validate(raw);
        assertThat(validated.isAccepted()).isFalse();
        return validated.deadLetter();
    }
}
