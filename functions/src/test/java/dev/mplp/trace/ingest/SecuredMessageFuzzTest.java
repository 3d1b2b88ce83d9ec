package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.Secrets;
import dev.mplp.trace.security.SecurityFixtures;
import dev.mplp.trace.testing.HostileMutations;
import dev.mplp.trace.testing.ProtocolMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded mutations of the protocol's four sample messages, with PII masking off and on and the integrity and
 * authentication checks off and {@code require}: hostile values (huge numbers and strings, deep nesting, wrong
 * types at every depth, hostile times and ids, personal data in names and values), duplicate keys, truncation and
 * invalid UTF-8, of messages correctly signed and authenticated or not. Each record is accepted or dead-lettered
 * with a foreseen reason (never {@code internal_error}), nothing masked leaks, and the outcomes add up record by
 * record. The timeout only guards against a hang.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecuredMessageFuzzTest {

    private static final int MUTANTS_PER_SAMPLE = 250;
    private static final int DEAD_LETTER_BYTES = 2048;
    private static final List<String> SAMPLES = List.of("trace-execution-start.json",
            "trace-execution-update.json", "trace-execution-complete.json", "trace-metrics-collect.json");

    @TempDir
    static Path dir;

    private static OctetSequenceKey jwtKey;
    private static List<ObjectNode> samples;

    /** PII masking and the two checks in {@code require} mode, each on or off. */
    enum Setup {
        PLAIN(false, false),
        MASKING(true, false),
        REQUIRE(false, true),
        REQUIRE_AND_MASKING(true, true);

        final boolean masking;
        final boolean secured;

        Setup(boolean masking, boolean secured) {
            this.masking = masking;
            this.secured = secured;
        }
    }

    @BeforeAll
    static void samplesAndKeys() throws Exception {
        jwtKey = new OctetSequenceKeyGenerator(256).keyID("hs").generate();
        samples = new ArrayList<>();
        for (String name : SAMPLES) {
            String resource = "protocol-samples/" + name;
            try (InputStream in = SecuredMessageFuzzTest.class.getClassLoader().getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                samples.add((ObjectNode) Json.mapper().readTree(in));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void everyMutantIsAcceptedOrDeadLetteredWithAForeseenReason(Setup setup) throws Exception {
        MessageValidator validator = validator(setup);
        Random random = new Random(15L * 31 + setup.ordinal());
        Map<DeadLetterReason, Integer> reasons = new EnumMap<>(DeadLetterReason.class);
        int read = 0;
        int accepted = 0;
        int deadLettered = 0;
        for (ObjectNode sample : samples) {
            for (int i = 0; i < MUTANTS_PER_SAMPLE; i++) {
                byte[] record = HostileMutations.mutant(sample, random, setup.secured ? jwtKey : null);
                String what = setup + " #" + read + ": " + preview(record);
                read++;
                Validated result = validator.validate(
                        new RawMessage(record, record.length, "fuzz:" + read, HostileMutations.READ.toEpochMilli()));

                assertThat(result).as(what).isNotNull();
                assertThat(result.isAccepted()).as(what).isEqualTo(result.deadLetter() == null);
                if (result.isAccepted()) {
                    accepted++;
                    String payload = result.event().payloadText();
                    assertThat(Json.mapper().readTree(payload).isObject()).as(what).isTrue();
                    assertThat(result.event().traceId).as(what).matches("[0-9a-f]{32}");
                    if (setup.masking) {
                        assertThat(payload).as(what).doesNotContain(HostileMutations.PLANTED_EMAIL, HostileMutations.LONG_USER_ID.substring(0, 64));
                    }
                } else {
                    deadLettered++;
                    DeadLetter letter = result.deadLetter();
                    reasons.merge(letter.reason, 1, Integer::sum);
                    assertThat(letter.reason).as(what + " " + letter.detail)
                            .isNotEqualTo(DeadLetterReason.INTERNAL_ERROR);
                    assertThat(letter.rawPayload.getBytes(StandardCharsets.UTF_8).length).as(what)
                            .isLessThanOrEqualTo(DEAD_LETTER_BYTES);
                    assertThat(letter.detail).as(what).isNotBlank();
                    if (setup.masking) {
                        assertThat(letter.rawPayload + letter.detail + letter.messageId).as(what)
                                .doesNotContain(HostileMutations.PLANTED_EMAIL, HostileMutations.LONG_USER_ID.substring(0, 64));
                    }
                }
                assertThat(accepted + deadLettered).as("read = accepted + dead-lettered").isEqualTo(read);
            }
        }
        assertThat(accepted).as("some mutants stay valid").isPositive();
        assertThat(reasons.keySet()).contains(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.INVALID_TYPE,
                DeadLetterReason.INVALID_TIMESTAMP, DeadLetterReason.INVALID_TRACE_ID);
        if (setup.secured) {
            assertThat(reasons.keySet()).contains(DeadLetterReason.INTEGRITY_FAILED, DeadLetterReason.AUTH_FAILED);
        }
    }

    private static MessageValidator validator(Setup setup) throws IOException {
        SecurityConfig off = SecurityConfig.disabled();
        SecurityConfig.Integrity integrity = off.integrity();
        SecurityConfig.Authentication authentication = off.authentication();
        SecurityConfig.Pii pii = off.pii();
        if (setup.secured) {
            Path keys = SecurityFixtures.write(dir.resolve("keys.properties"),
                    "*=" + SecurityFixtures.base64(SecurityFixtures.SENDER_KEY) + "\n");
            Path jwks = SecurityFixtures.write(dir.resolve("jwks.json"), new JWKSet(jwtKey).toString(false));
            integrity = SecurityFixtures.integrity(Mode.REQUIRE, keys).integrity();
            authentication = SecurityFixtures.authentication(Mode.REQUIRE, jwks, HostileMutations.ISSUER, HostileMutations.AUDIENCE).authentication();
        }
        if (setup.masking) {
            pii = SecurityFixtures.pii(SecurityFixtures.write(dir.resolve("pii.key"), SecurityFixtures.PII_KEY))
                    .pii();
        }
        return new MessageValidator(1 << 20, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION),
                new MessageSecurity(new SecurityConfig(integrity, authentication, pii), new Secrets(Map.of())));
    }

    private static String preview(byte[] record) {
        String text = new String(record, StandardCharsets.UTF_8);
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + record.length + " bytes)";
    }
}
