package dev.mplp.trace.security;

import static dev.mplp.trace.testing.ProtocolMessages.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.SecurityConfig.PiiDetector;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pseudonyms for attribute keys and detected values, in JSON trees, in text and through validation. */
class PiiMaskerTest {

    private static final String EMAIL = "jane.doe@example.com";
    private static final String IPV4 = "203.0.113.42";
    private static final String IPV6 = "2001:db8::8a2e:370:7334";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String USER = "user-4711";

    private final PiiMasker masker = new PiiMasker(SecurityFixtures.PII_KEY.getBytes(StandardCharsets.UTF_8),
            SecurityFixtures.ATTRIBUTE_KEYS, List.of(PiiDetector.values()));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {EMAIL, IPV4, IPV6, PHONE, "(555) 123-4567", "555-123-4567", "::ffff:192.0.2.1",
        "fe80::1", "2001:0db8:0000:0000:0000:ff00:0042:8329", "+14155550100", "(415) 555-0199", "(415)555-0199",
        "+1 (415) 555-0199", "josé.müller@example.com", "jose\u0301@example.com", "名前@例え.jp"})
    void detectorsReplaceValuesInsideText(String value) {
        String masked = masker.maskText("contact " + value + ", please");

        assertThat(masked).doesNotContain(value).isEqualTo("contact " + masker.pseudonym(value) + ", please");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "2025-09-03T10:00:00.000Z",
        "at 10:00:00", "1.0.0-alpha", "17.0.12+7", "java -XX:+UseG1GC", "00:1a:2b:3c:4d:5e", "sampling=1.0",
        "req-1234567890", "corr-001", "hmac-sha256:7g8h9i0j1k2l...", "Foo::bar", "v1.2.3", "TRACE:: ok"})
    void idsTimesAndVersionsAreNotPii(String value) {
        assertThat(masker.maskText(value)).isEqualTo(value);
    }

    @Test
    void attributeKeysMatchByNameOrPathSuffixWhateverTheValue() {
        ObjectNode message = start().node();
        ObjectNode body = (ObjectNode) message.path("payload").path("trace_start");
        ((ObjectNode) body.get("span_attributes")).put("user.id", USER).put("session.id", 42);
        ((ObjectNode) body.get("context")).put("user_id", USER);
        body.putObject("other").put("user_id", "not-under-context");

        masker.mask(message);

        assertThat(body.path("span_attributes").path("user.id").asText()).isEqualTo(masker.pseudonym(USER));
        assertThat(body.path("span_attributes").path("session.id").asText()).isEqualTo(masker.pseudonym("42"));
        assertThat(body.path("context").path("user_id").asText()).isEqualTo(masker.pseudonym(USER));
        assertThat(body.path("other").path("user_id").asText()).as("user_id outside context is no key here")
                .isEqualTo("not-under-context");
        assertThat(message.path("sender").path("authentication").path("token").asText()).startsWith("pii:");
    }

    @Test
    void pseudonymsAreStableKeyedAndMaskingTwiceChangesNothing() {
        PiiMasker otherKey = new PiiMasker("another-key-0123456789".getBytes(StandardCharsets.UTF_8),
                SecurityFixtures.ATTRIBUTE_KEYS, List.of(PiiDetector.values()));
        ObjectNode once = masker.mask(withPii()).deepCopy();

        assertThat(masker.pseudonym(EMAIL)).isEqualTo(masker.pseudonym(EMAIL)).matches("pii:[0-9a-f]{16}")
                .isNotEqualTo(otherKey.pseudonym(EMAIL));
        assertThat(masker.mask(once.deepCopy())).isEqualTo(once);
    }

    @Test
    void textThatIsNotJsonLosesAttributeValuesAndDetectedValues() {
        String broken = "{\"context\": {\"user_id\": \"" + USER + "\", \"note\": \"" + EMAIL + "\"";

        String masked = masker.maskText(broken);

        assertThat(masked).doesNotContain(USER, EMAIL).contains(masker.pseudonym(USER), masker.pseudonym(EMAIL));
    }

    @Test
    void anEmailAddressUsedAsAFieldNameIsMaskedKeepingTheFieldsOrder() {
        ObjectNode message = start().node();
        ObjectNode attributes = (ObjectNode) message.path("payload").path("trace_start").path("span_attributes");
        attributes.removeAll();
        attributes.put("before", 1).put(EMAIL, "subscribed").put("after", 2);

        masker.mask(message);

        assertThat(message.toString()).doesNotContain(EMAIL);
        assertThat(attributes.properties()).extracting(Map.Entry::getKey)
                .containsExactly("before", masker.pseudonym(EMAIL), "after");
        assertThat(attributes.get(masker.pseudonym(EMAIL)).asText()).isEqualTo("subscribed");
    }

    @Test
    void anAttributeValueWithoutItsClosingQuoteIsMaskedToTheEnd() {
        String cut = "{\"context\": {\"user_id\": \"" + USER + "-and-more";

        assertThat(masker.maskText(cut)).isEqualTo("{\"context\": {\"user_id\": \""
                + masker.pseudonym(USER + "-and-more"));
    }

    @Test
    void anEscapedPairInsideAJsonStringIsMasked() {
        String text = "{\"log_message\": \"got {\\\"user_id\\\": \\\"" + USER + "\\\"} from " + EMAIL + "\", ";

        assertThat(masker.maskText(text)).isEqualTo("{\"log_message\": \"got {\\\"user_id\\\": \\\""
                + masker.pseudonym(USER) + "\\\"} from " + masker.pseudonym(EMAIL) + "\", ");
    }

    /** Inputs that made the regular expressions recurse once per character or scan quadratically. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void longRunsAreMaskedWithoutDeepRecursionOrRescanning() {
        String longUser = "b".repeat(10_000);
        String letters = "a".repeat(1 << 20);

        assertThat(masker.maskText("{\"user_id\":\"" + longUser + "\"}"))
                .isEqualTo("{\"user_id\":\"" + masker.pseudonym(longUser) + "\"}");
        assertThat(masker.maskText("log {\"user_id\": \"" + longUser)).doesNotContain(longUser);
        assertThat(masker.maskText("\"user_id\":\"".repeat(50_000))).startsWith("\"user_id\":\"pii:");
        assertThat(masker.maskText(letters)).isSameAs(letters);
        assertThat(masker.maskText(letters + "1")).isEqualTo(letters + "1");
        assertThat(masker.maskText(letters + "@example.com")).isEqualTo(masker.pseudonym(letters + "@example.com"));
        assertThat(masker.maskText("a@".repeat(200_000) + "b.com")).doesNotContain("b.com");
        assertThat(masker.maskText("1.".repeat(300_000) + " 1:".repeat(200_000))).isNotNull();
    }

    @Test
    void validationMasksTheAcceptedPayloadAndEveryDeadLetter() {
        MessageValidator validator = new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"),
                new MessageSecurity(SecurityFixtures.pii(SecurityFixtures.write(dir.resolve("pii.key"),
                        SecurityFixtures.PII_KEY)), new Secrets(Map.of())));
        ObjectNode valid = withPii();
        ObjectNode invalid = withPii();
        ((ObjectNode) invalid.path("payload").path("trace_start")).put("trace_id", "contact " + EMAIL);
        String complete = withPii().toString();
        String unparsable = complete.substring(0, complete.length() - 1);

        Validated accepted = validator.validate(RawMessage.of(valid.toString(), "test:1", 0L));
        Validated rejected = validator.validate(RawMessage.of(invalid.toString(), "test:2", 0L));
        Validated malformed = validator.validate(RawMessage.of(unparsable, "test:3", 0L));

        assertThat(accepted.event().payloadText()).doesNotContain(EMAIL, IPV4, IPV6, PHONE, USER)
                .contains(masker.pseudonym(EMAIL), masker.pseudonym(USER));
        assertThat(rejected.deadLetter().reason).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
        assertThat(rejected.deadLetter().rawPayload).doesNotContain(EMAIL, IPV4, IPV6, PHONE, USER);
        assertThat(malformed.deadLetter().reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(malformed.deadLetter().rawPayload).doesNotContain(EMAIL, USER).contains(masker.pseudonym(USER));
    }

    /** A start message with each kind of PII, planted where traces carry it. */
    private static ObjectNode withPii() {
        ObjectNode message = start().messageId("msg-" + EMAIL).node();
        ObjectNode body = (ObjectNode) message.path("payload").path("trace_start");
        ((ObjectNode) body.get("context")).put("user_id", USER);
        ((ObjectNode) body.get("span_attributes")).put("user.id", USER).put("client.ip", IPV4)
                .put("net.peer.ip", IPV6).put("enduser.email", EMAIL).put("note", "call " + PHONE);
        return message;
    }
}
