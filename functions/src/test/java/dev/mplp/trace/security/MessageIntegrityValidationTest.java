package dev.mplp.trace.security;

import static dev.mplp.trace.testing.ProtocolMessages.SENDER_ID;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.ProtocolMessages.Message;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code security.integrity_check} in each mode, for a signed message and for each way one can be wrong. */
class MessageIntegrityValidationTest {

    private static final String UNKNOWN_SENDER = "unknown-service-007";
    private static final String ENV_SENDER = "env-service-002";

    @TempDir
    static Path dir;

    /** The ways a message can fail the check; each gives the message as read. */
    enum Bad {
        FORGED(() -> signed(start(), SecurityFixtures.OTHER_KEY)),
        ALTERED_AFTER_SIGNING(() -> {
            ObjectNode message = start().node();
            MessageIntegrity.sign(message, SecurityFixtures.SENDER_KEY);
            ((ObjectNode) message.path("payload").path("trace_start")).put("service_name", "another-service");
            return message;
        }),
        UNSIGNED(() -> start().node()),
        UNKNOWN_SENDER(() -> signed(start().senderId(MessageIntegrityValidationTest.UNKNOWN_SENDER),
                SecurityFixtures.SENDER_KEY)),
        MALFORMED_CHECK(() -> start().set("security.integrity_check", "hmac-sha256:7g8h9i0j1k2l...").node()),
        /** The right signature, its hex digits in upper case: the format is lowercase. */
        UPPERCASE_HEX(() -> {
            ObjectNode message = signed(start(), SecurityFixtures.SENDER_KEY);
            String check = message.path("security").path("integrity_check").textValue();
            ((ObjectNode) message.get("security")).put("integrity_check",
                    MessageIntegrity.PREFIX + check.substring(MessageIntegrity.PREFIX.length()).toUpperCase());
            return message;
        });

        final Supplier<ObjectNode> message;

        Bad(Supplier<ObjectNode> message) {
            this.message = message;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCorrectlySignedMessageIsAcceptedUnflaggedInEveryMode(Mode mode) {
        Validated result = validator(mode).validate(raw(signed(start(), SecurityFixtures.SENDER_KEY)));

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.unverified()).isEmpty();
    }

    @Test
    void aSignatureSurvivesReformattingAndKeyOrder() throws Exception {
        ObjectNode signed = signed(start(), SecurityFixtures.SENDER_KEY);
        ObjectNode reordered = Json.mapper().createObjectNode();
        reordered.set("payload", signed.get("payload"));
        reordered.set("security", signed.get("security"));
        signed.fieldNames().forEachRemaining(name -> reordered.set(name, signed.get(name)));
        String pretty = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reordered);

        Validated result = validator(Mode.REQUIRE).validate(RawMessage.of(pretty, "test:pretty", 0L));

        assertThat(result.isAccepted()).isTrue();
    }

    @Test
    void aSenderKeyMayComeFromTheEnvironment() {
        MessageSecurity security = new MessageSecurity(SecurityFixtures.integrity(Mode.REQUIRE, keys()),
                new Secrets(Map.of("TRACE_ANALYTICS_HMAC_KEY_ENV_SERVICE_002",
                        SecurityFixtures.base64(SecurityFixtures.OTHER_KEY))));
        MessageValidator validator = new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"), security);

        assertThat(validator.validate(raw(signed(start().senderId(ENV_SENDER), SecurityFixtures.OTHER_KEY)))
                .isAccepted()).isTrue();
        assertThat(validator.validate(raw(signed(start().senderId(ENV_SENDER), SecurityFixtures.SENDER_KEY)))
                .deadLetter().reason).isEqualTo(DeadLetterReason.INTEGRITY_FAILED);
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void offAcceptsAnythingUnflagged(Bad bad) {
        Validated result = validator(Mode.OFF).validate(raw(bad.message.get()));

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.unverified()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void verifyAcceptsButFlags(Bad bad) {
        Validated result = validator(Mode.VERIFY).validate(raw(bad.message.get()));

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.unverified()).containsExactly(SecurityCheck.INTEGRITY);
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void requireDeadLettersWithAReason(Bad bad) {
        ObjectNode message = bad.message.get();
        Validated result = validator(Mode.REQUIRE).validate(raw(message));

        assertThat(result.isAccepted()).isFalse();
        assertThat(result.deadLetter().reason).isEqualTo(DeadLetterReason.INTEGRITY_FAILED);
        assertThat(result.deadLetter().detail).isEqualTo(switch (bad) {
            case FORGED, ALTERED_AFTER_SIGNING -> "security.integrity_check does not match the message";
            case UNSIGNED -> "no security.integrity_check";
            case UNKNOWN_SENDER -> "no key for sender_id \"" + UNKNOWN_SENDER + "\"";
            case MALFORMED_CHECK, UPPERCASE_HEX -> "security.integrity_check is not hmac-sha256: and 64 lowercase hex digits";
        });
        assertThat(result.deadLetter().messageId).isEqualTo(message.get("message_id").asText());
    }

    @Test
    void structuralErrorsComeBeforeTheIntegrityCheck() {
        ObjectNode unsignedBadTrace = start().traceId("not-hex").node();

        Validated result = validator(Mode.REQUIRE).validate(raw(unsignedBadTrace));

        assertThat(result.deadLetter().reason).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
    }

    private static MessageValidator validator(Mode mode) {
        MessageSecurity security = new MessageSecurity(SecurityFixtures.integrity(mode, keys()), new Secrets(Map.of()));
        return new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"), security);
    }

    private static Path keys() {
        return SecurityFixtures.keysFile(dir, SENDER_ID);
    }

    static ObjectNode signed(Message message, byte[] key) {
        ObjectNode node = message.node();
        MessageIntegrity.sign(node, key);
        return node;
    }

    static RawMessage raw(ObjectNode message) {
        return RawMessage.of(message.toString(), "test:" + message.path("message_id").asText(), 0L);
    }
}
