package dev.mplp.trace.ingest;

import static dev.mplp.trace.testing.ProtocolMessages.log;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static dev.mplp.trace.testing.ProtocolMessages.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.PiiMasker;
import dev.mplp.trace.security.SecretException;
import dev.mplp.trace.security.Secrets;
import dev.mplp.trace.security.SecurityFixtures;
import dev.mplp.trace.testing.ProtocolMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records built to stop, stall or loop the job, with PII masking on: each is accepted or dead-lettered, and a
 * failure nothing foresaw becomes an {@code internal_error} rather than a task failure. The timeouts only guard
 * against a hang (the inputs took hours, or overflowed the stack, before); no speed is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileRecordsTest {

    private static final int MAX_BYTES = 2 << 20;
    private static final int DEAD_LETTER_BYTES = 4096;

    @TempDir
    static Path dir;

    private static MessageValidator masking;
    private static MessageValidator plain;
    private static PiiMasker masker;

    @BeforeAll
    static void validators() {
        Path key = SecurityFixtures.write(dir.resolve("pii.key"), SecurityFixtures.PII_KEY);
        masking = new MessageValidator(MAX_BYTES, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION),
                new MessageSecurity(SecurityFixtures.pii(key), new Secrets(Map.of())));
        plain = new MessageValidator(MAX_BYTES, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION));
        masker = new PiiMasker(SecurityFixtures.PII_KEY.getBytes(StandardCharsets.UTF_8),
                SecurityFixtures.ATTRIBUTE_KEYS, List.of(SecurityConfig.PiiDetector.values()));
    }

    @Test
    void aLongUserIdInALogMessageIsAcceptedMasked() {
        String userId = "b".repeat(10_000);
        RawMessage raw = update().setInBody("span_logs", ProtocolMessages.array(
                log(ProtocolMessages.UPDATE_TIME, "INFO", "payload {\"user_id\": \"" + userId + "\"}"))).raw();

        TraceEvent event = masking.validate(raw).event();

        assertThat(event.payloadText()).doesNotContain(userId).contains(masker.pseudonym(userId));
    }

    @Test
    void aLongUserIdInAnUnparsableRecordIsDeadLetteredMasked() {
        String userId = "b".repeat(10_000);
        String text = "{\"context\": {\"user_id\":\"" + userId + "\", broken";

        DeadLetter letter = masking.validate(RawMessage.of(text, "hostile:1", 0L)).deadLetter();

        assertThat(letter.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        // the value runs past the part that is masked (the dead letter's size and a margin): masked to its end
        assertThat(letter.rawPayload).doesNotContain("bbbb").startsWith("{\"context\": {\"user_id\":\"pii:")
                .hasSize("{\"context\": {\"user_id\":\"pii:".length() + 16);
    }

    @Test
    void aMegabyteOfLettersIsCutBeforeItIsMasked() {
        byte[] letters = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        MessageValidator small = new MessageValidator(64 * 1024, DEAD_LETTER_BYTES,
                Set.of(ProtocolMessages.PROTOCOL_VERSION), new MessageSecurity(
                        SecurityFixtures.pii(dir.resolve("pii.key")), new Secrets(Map.of())));

        DeadLetter oversize = small.validate(new RawMessage(letters, letters.length, "hostile:2", 0L)).deadLetter();
        DeadLetter malformed = masking.validate(new RawMessage(letters, letters.length, "hostile:3", 0L))
                .deadLetter();

        assertThat(oversize.reason).isEqualTo(DeadLetterReason.OVERSIZE);
        assertThat(malformed.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        for (DeadLetter letter : List.of(oversize, malformed)) {
            assertThat(letter.rawPayload).hasSize(DEAD_LETTER_BYTES).matches("a+");
            assertThat(letter.payloadTruncated).isTrue();
            assertThat(letter.rawPayloadBytes).isEqualTo(letters.length);
        }
    }

    @Test
    void aLongAttributeValueOfLettersAndDigitsIsAccepted() {
        String value = "a1".repeat(50_000) + "@example";
        TraceEvent event = masking.validate(start().setInBody("span_attributes.note", value).raw()).event();

        assertThat(event.payloadText()).contains(value);
    }

    /** Masking comes after the structural checks: a wrong type is the same dead letter with masking on or off. */
    @Test
    void wrongTypesInAttributeKeyFieldsStayInvalidTypesWithMaskingOn() {
        List<ProtocolMessages.Message> wrong = List.of(
                start().set("sender.authentication", ProtocolMessages.object("method", "jwt", "token", 42)),
                start().setInBody("context.user_id", 987654321012L),
                start().setInBody("context.user_id", ProtocolMessages.object("id", "u-1")));

        for (ProtocolMessages.Message message : wrong) {
            DeadLetter masked = masking.validate(message.raw()).deadLetter();
            DeadLetter unmasked = plain.validate(message.raw()).deadLetter();

            assertThat(masked).as(message.json()).isNotNull();
            assertThat(masked.reason).as(message.json()).isEqualTo(DeadLetterReason.INVALID_TYPE)
                    .isEqualTo(unmasked.reason);
            assertThat(masked.detail).isEqualTo(unmasked.detail);
        }
    }

    @Test
    void aDotWithoutFractionDigitsIsAnInvalidTimestamp() {
        DeadLetter letter = plain.validate(start().set("timestamp", "2026-03-02T00:00:00.Z").raw()).deadLetter();

        assertThat(letter.reason).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
        assertThat(letter.detail).isEqualTo("timestamp");
    }

    @Test
    void aFailureOfTheRecordIsAnInternalErrorDeadLetter() throws Exception {
        List<Throwable> failures = List.of(new StackOverflowError(), new IllegalStateException("a gap"),
                new AssertionError("unexpected"));
        for (Throwable failure : failures) {
            RawMessage raw = start().raw();
            try (OneInputStreamOperatorTestHarness<RawMessage, TraceEvent> harness = harness(failure)) {
                harness.processElement(raw, 0L);

                assertThat(harness.extractOutputValues()).isEmpty();
                List<DeadLetter> letters = harness.getSideOutput(ValidateMessages.DEAD_LETTERS).stream()
                        .map(record -> record.getValue()).toList();
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.reason).isEqualTo(DeadLetterReason.INTERNAL_ERROR);
                    assertThat(letter.detail).isEqualTo(failure.getClass().getName());
                    assertThat(letter.rawPayload).as("nothing unmasked").isEmpty();
                    assertThat(letter.sourcePosition).isEqualTo(raw.sourcePosition);
                    assertThat(letter.rawPayloadBytes).isEqualTo(raw.body.length);
                });
            }
        }
    }

    @Test
    void aFailureThatIsNotTheRecordsFailsTheJob() throws Exception {
        for (Throwable failure : List.of(new OutOfMemoryError("heap"), new SecretException("no key file"),
                new NoClassDefFoundError("dev/mplp/Gone"))) {
            try (OneInputStreamOperatorTestHarness<RawMessage, TraceEvent> harness = harness(failure)) {
                assertThatThrownBy(() -> harness.processElement(start().raw(), 0L)).isSameAs(failure);
            }
        }
    }

    @Test
    void anUnreadableKeyFileFailsValidationLoudly() {
        // the keys are read where the job runs, on first use: a file gone by then is no record's fault
        MessageValidator validator = new MessageValidator(MAX_BYTES, DEAD_LETTER_BYTES,
                Set.of(ProtocolMessages.PROTOCOL_VERSION), new MessageSecurity(
                        SecurityFixtures.integrity(Mode.REQUIRE, dir.resolve("missing-keys.properties")),
                        new Secrets(Map.of())));

        assertThatThrownBy(() -> validator.validate(start().raw())).isInstanceOf(SecretException.class);
    }

    private static OneInputStreamOperatorTestHarness<RawMessage, TraceEvent> harness(Throwable failure)
            throws Exception {
        RecordValidator failing = raw -> {
            throw sneaky(failure);
        };
        OneInputStreamOperatorTestHarness<RawMessage, TraceEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ValidateMessages(failing, true)));
        harness.open();
        return harness;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }
}
