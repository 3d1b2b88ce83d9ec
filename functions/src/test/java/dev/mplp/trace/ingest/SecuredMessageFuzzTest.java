package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.security.MessageIntegrity;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.Secrets;
import dev.mplp.trace.security.SecurityFixtures;
import dev.mplp.trace.testing.ProtocolMessages;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
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
    private static final Instant READ = Instant.parse("2025-09-03T12:00:00Z");
    private static final String ISSUER = "https://auth.mplp.dev";
    private static final String AUDIENCE = "trace-analytics";
    private static final String ACCOUNT = "workflow-service@mplp.dev";
    private static final String PLANTED_EMAIL = "fuzz.person@example.com";
    /** Personal data only as the value of {@code context.user_id} or of a {@code "user_id"} pair in text. */
    private static final String LONG_USER_ID = "u".repeat(10_000);
    private static final String LONG_ID = "i".repeat(10_000);
    private static final List<String> SAMPLES = List.of("trace-execution-start.json",
            "trace-execution-update.json", "trace-execution-complete.json", "trace-metrics-collect.json");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
                byte[] record = mutant(sample, random, setup.secured);
                String what = setup + " #" + read + ": " + preview(record);
                read++;
                Validated result = validator.validate(
                        new RawMessage(record, record.length, "fuzz:" + read, READ.toEpochMilli()));

                assertThat(result).as(what).isNotNull();
                assertThat(result.isAccepted()).as(what).isEqualTo(result.deadLetter() == null);
                if (result.isAccepted()) {
                    accepted++;
                    String payload = result.event().payload;
                    assertThat(Json.mapper().readTree(payload).isObject()).as(what).isTrue();
                    assertThat(result.event().traceId).as(what).matches("[0-9a-f]{32}");
                    if (setup.masking) {
                        assertThat(payload).as(what).doesNotContain(PLANTED_EMAIL, LONG_USER_ID.substring(0, 64));
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
                                .doesNotContain(PLANTED_EMAIL, LONG_USER_ID.substring(0, 64));
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
            authentication = SecurityFixtures.authentication(Mode.REQUIRE, jwks, ISSUER, AUDIENCE).authentication();
        }
        if (setup.masking) {
            pii = SecurityFixtures.pii(SecurityFixtures.write(dir.resolve("pii.key"), SecurityFixtures.PII_KEY))
                    .pii();
        }
        return new MessageValidator(1 << 20, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION),
                new MessageSecurity(new SecurityConfig(integrity, authentication, pii), new Secrets(Map.of())));
    }

    // ---- mutants

    private static byte[] mutant(ObjectNode sample, Random random, boolean secured) throws JOSEException {
        // the generated values are built in one order, whatever fails first, so a seed always gives the same records
        ObjectNode message = sample.deepCopy();
        message.put("message_id", random.nextInt(8) == 0 ? hostileId(random) : "msg-fuzz-" + random.nextLong());
        if (message.path("payload").path("trace_start").get("context") instanceof ObjectNode context
                && random.nextInt(4) == 0) {
            context.put("user_id", LONG_USER_ID);
        }
        if (random.nextInt(6) == 0 && message.path("payload").elements().hasNext()
                && message.path("payload").elements().next() instanceof ObjectNode body) {
            body.put(random.nextBoolean() ? "trace_id" : "span_id", hostileId(random));
        }
        if (random.nextInt(6) == 0) {
            message.put("timestamp", hostileTime(random));
        }
        int changes = random.nextInt(4);
        for (int c = 0; c < changes; c++) {
            mutateSomewhere(message, random);
        }
        if (secured) {
            authenticate(message, random);
            if (random.nextInt(5) != 0) {
                signIfPossible(message);
            }
        }
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(message);
        } catch (IOException e) {
            // nested values inside nested values, beyond what Jackson writes: deep nesting of another kind
            bytes = prepend("\"deep\":" + "{\"n\":".repeat(1_100) + "1" + "}".repeat(1_100) + ",",
                    sample.toString().getBytes(StandardCharsets.UTF_8));
        }
        return switch (random.nextInt(10)) {
            case 0 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 1 -> invalidUtf8(bytes, random);
            case 2 -> duplicateKey(bytes, random);
            case 3 -> prepend("\"deep\":" + "[".repeat(1_200) + "]".repeat(1_200) + ",", bytes);
            default -> bytes;
        };
    }

    /** Replaces, adds or removes one field or element anywhere in the tree, or plants personal data. */
    private static void mutateSomewhere(ObjectNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        MessageValidatorFuzzTest.collectContainers(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() || random.nextInt(5) == 0
                    ? (random.nextBoolean() ? PLANTED_EMAIL : "user_id")
                    : names.get(random.nextInt(names.size()));
            if (random.nextInt(6) == 0) {
                object.remove(name);
            } else {
                object.set(name, hostileValue(random));
            }
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty()) {
                array.add(hostileValue(random));
            } else {
                array.set(random.nextInt(array.size()), hostileValue(random));
            }
        }
    }

    private static JsonNode hostileValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(1500))));
            case 1 -> NODES.numberNode(new BigDecimal("1e" + (300 + random.nextInt(100_000))));
            case 2 -> NODES.numberNode(-random.nextDouble() * 1e6);
            case 3 -> NODES.textNode("x".repeat(random.nextInt(100_000)));
            case 4 -> NODES.textNode("a1b2".repeat(random.nextInt(20_000)) + "@host");
            case 5 -> NODES.textNode("{\"user_id\": \"" + LONG_USER_ID + "\"} " + PLANTED_EMAIL);
            case 6 -> NODES.textNode(LONG_ID);
            case 7 -> nested(100 + random.nextInt(880));
            case 8 -> NODES.textNode(hostileTime(random));
            case 9 -> NODES.textNode(hostileId(random));
            case 10 -> NODES.arrayNode().add(1).add("two").add(NODES.objectNode().put(PLANTED_EMAIL, 3));
            case 11 -> NODES.objectNode().put("user_id", random.nextLong()).put("token", 42);
            case 12 -> NODES.booleanNode(random.nextBoolean());
            case 13 -> NODES.nullNode();
            case 14 -> NODES.textNode("call (415) 555-0199 or " + PLANTED_EMAIL);
            default -> NODES.textNode("\u0000\uD83D\uDE00\uFFFF\u202E" + "é".repeat(random.nextInt(1000)));
        };
    }

    /** Objects in objects, some within the parser's nesting limit, some beyond it. */
    private static JsonNode nested(int depth) {
        ObjectNode outer = NODES.objectNode();
        ObjectNode inner = outer;
        for (int i = 0; i < depth; i++) {
            inner = inner.putObject(i % 2 == 0 ? "n" : "user_id");
        }
        return outer;
    }

    private static String hostileTime(Random random) {
        List<String> times = List.of("2026-03-02T00:00:00.Z", "0000-01-01T00:00:00Z", "-0001-12-31T23:00:00Z",
                "+999999999-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "2026-03-02T00:00:00.1234567891Z",
                "2026-03-02T00:00:00+18:00", "2026-03-02T24:00:00Z", "9".repeat(5000), "2026-03-02T00:00:00",
                "2026-03-02T00:00:00.000Z" + " ".repeat(1000), "0001-01-01T00:00:00Z", "\u0662026-03-02T00:00:00Z");
        return times.get(random.nextInt(times.size()));
    }

    private static String hostileId(Random random) {
        List<String> ids = List.of("4BF92F3577B34DA6A3CE929D0E0E4736", "00000000000000000000000000000000",
                "4bf92f3577b34da6a3ce929d0e0e47361", "\uff14bf92f3577b34da6a3ce929d0e0e473", "", " ",
                "0x00f067aa0ba902b7", "0".repeat(100_000), "\u0000", LONG_ID);
        return ids.get(random.nextInt(ids.size()));
    }

    /** A JWT of the configured issuer, audience and account, valid at {@link #READ}, or one that is not. */
    private static void authenticate(ObjectNode message, Random random) throws JOSEException {
        if (!(message.get("sender") instanceof ObjectNode sender)) {
            return;
        }
        ObjectNode authentication = sender.putObject("authentication");
        authentication.put("method", "jwt");
        authentication.put("service_account", ACCOUNT);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(ACCOUNT)
                .expirationTime(Date.from(READ.plus(Duration.ofHours(1))));
        if (random.nextInt(6) == 0) {
            claims.expirationTime(Date.from(READ.minus(Duration.ofHours(1))));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("hs").build(), claims.build());
        jwt.sign(new MACSigner(jwtKey));
        String token = jwt.serialize();
        authentication.put("token", switch (random.nextInt(8)) {
            case 0 -> token.substring(0, random.nextInt(token.length()));
            case 1 -> token + "." + "A".repeat(random.nextInt(50_000));
            case 2 -> token.replace('.', '\u00e9');
            default -> token;
        });
    }

    private static void signIfPossible(ObjectNode message) {
        try {
            MessageIntegrity.sign(message, SecurityFixtures.SENDER_KEY);
        } catch (RuntimeException e) {
            // a value the canonical form cannot write (the message stays unsigned: integrity_failed)
        }
    }

    private static byte[] invalidUtf8(byte[] bytes, Random random) {
        byte[] damaged = bytes.clone();
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F}};
        byte[] sequence = bad[random.nextInt(bad.length)];
        int at = random.nextInt(Math.max(1, damaged.length - sequence.length));
        System.arraycopy(sequence, 0, damaged, at, Math.min(sequence.length, damaged.length - at));
        return damaged;
    }

    /** The record with one of its top-level fields written twice, first with another value. */
    private static byte[] duplicateKey(byte[] bytes, Random random) {
        String[] names = {"message_id", "message_type", "payload", "timestamp"};
        return prepend("\"" + names[random.nextInt(names.length)] + "\":\"first\",", bytes);
    }

    /** A top-level field written before the others (beyond the parser's nesting limit, or a duplicate). */
    private static byte[] prepend(String field, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return ("{" + field + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static String preview(byte[] record) {
        String text = new String(record, StandardCharsets.UTF_8);
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + record.length + " bytes)";
    }
}
