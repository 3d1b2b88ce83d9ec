package dev.mplp.trace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.security.MessageIntegrity;
import dev.mplp.trace.security.SecurityFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile mutations of protocol messages, for the fuzz tests: huge numbers and strings, deep nesting, wrong
 * types at every depth, hostile times and ids, personal data in names and values, duplicate keys, truncation and
 * invalid UTF-8; with a JWT key, the message is also authenticated (mostly validly) and mostly signed with
 * {@link SecurityFixtures#SENDER_KEY} after the damage.
 */
public final class HostileMutations {

    /** When the mutants are read: their tokens are valid then. */
    public static final Instant READ = Instant.parse("2025-09-03T12:00:00Z");
    public static final String ISSUER = "https://auth.mplp.dev";
    public static final String AUDIENCE = "trace-analytics";
    public static final String ACCOUNT = "workflow-service@mplp.dev";
    /** An e-mail address planted in names and values: masking must leave none of it. */
    public static final String PLANTED_EMAIL = "fuzz.person@example.com";
    /** Personal data only as the value of {@code context.user_id} or of a {@code "user_id"} pair in text. */
    public static final String LONG_USER_ID = "u".repeat(10_000);
    private static final String LONG_ID = "i".repeat(10_000);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileMutations() {}

    public static byte[] mutant(ObjectNode sample, Random random, OctetSequenceKey jwtKey) throws JOSEException {
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
        if (jwtKey != null) {
            authenticate(message, random, jwtKey);
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
        collectContainers(root, containers);
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
    private static void authenticate(ObjectNode message, Random random, OctetSequenceKey jwtKey)
            throws JOSEException {
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

    /** Every object and array of the tree, the root first. */
    public static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.elements().forEachRemaining(child -> collectContainers(child, into));
        }
    }
}
