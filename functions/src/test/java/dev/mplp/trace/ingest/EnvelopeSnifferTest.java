package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The envelope fields read from a record's bytes without parsing it: only top-level strings, nothing nested. */
class EnvelopeSnifferTest {

    private static final Instant SENT = Instant.parse("2025-09-03T10:00:00.250Z");

    @Test
    void readsTheEnvelopeTimestampWhereverItIsAmongTheTopLevelFields() {
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"message_id\":\"m\",\"timestamp\":\"" + SENT + "\",\"payload\":{}}")))
                .isEqualTo(SENT.toEpochMilli());
        // after a payload that has a timestamp of its own: the nested one is skipped
        assertThat(EnvelopeSniffer.timestamp(bytes(
                "{\"payload\":{\"timestamp\":\"2020-01-01T00:00:00Z\",\"a\":[1,{\"timestamp\":\"x\"}]},"
                        + "\"timestamp\":\"2025-09-03T12:00:00.250+02:00\"}")))
                .isEqualTo(SENT.toEpochMilli());
    }

    @Test
    void hasNoTimestampWhenItIsMissingNestedInvalidOrNotAString() {
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"payload\":{\"timestamp\":\"" + SENT + "\"}}"))).isNull();
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"timestamp\":\"2025-09-03 10:00\"}"))).isNull();
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"timestamp\":1756893600000}"))).isNull();
        assertThat(EnvelopeSniffer.timestamp(bytes("[\"timestamp\",\"" + SENT + "\"]"))).isNull();
        assertThat(EnvelopeSniffer.timestamp(bytes("not json"))).isNull();
    }

    @Test
    void readsWhatComesBeforeASyntaxErrorAndNothingPastTheScanLimit() {
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"timestamp\":\"" + SENT + "\",\"payload\":{oops")))
                .isEqualTo(SENT.toEpochMilli());
        String padding = "x".repeat(EnvelopeSniffer.SCAN_LIMIT_BYTES);
        assertThat(EnvelopeSniffer.timestamp(bytes("{\"pad\":\"" + padding + "\",\"timestamp\":\"" + SENT + "\"}")))
                .isNull();
    }

    @Test
    void readsANonEmptyMessageIdOnly() {
        assertThat(EnvelopeSniffer.messageId(bytes("{\"timestamp\":\"t\",\"message_id\":\"msg-1\"}"))).isEqualTo("msg-1");
        assertThat(EnvelopeSniffer.messageId(bytes("{\"message_id\":\"\"}"))).isNull();
        assertThat(EnvelopeSniffer.messageId(bytes("{\"message_id\":7}"))).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
