package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.HostileMutations;
import dev.mplp.trace.testing.ProtocolMessages;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The validator never throws and always gives exactly one well-formed outcome, whatever it is fed: random
 * bytes, byte-level damage to valid messages, random values in random places of valid messages, deep nesting.
 * Seeds are fixed, so a failure reproduces.
 */
class MessageValidatorFuzzTest {

    private static final int DEAD_LETTER_BYTES = 512;
    private static final MessageValidator VALIDATOR =
            new MessageValidator(64 * 1024, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION));
    private static final MessageValidator LARGE =
            new MessageValidator(16 << 20, DEAD_LETTER_BYTES, Set.of(ProtocolMessages.PROTOCOL_VERSION));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSON_CHARS = "{}[]\":,.-+eE0123456789 \n\\truefalsnul_abcxyz\u00e9\u20ac";

    private final Map<DeadLetterReason, Integer> reasons = new EnumMap<>(DeadLetterReason.class);
    private int accepted;

    private Validated check(RawMessage raw, String what) {
        return check(VALIDATOR, raw, what);
    }

    private Validated check(MessageValidator validator, RawMessage raw, String what) {
        Validated[] result = new Validated[1];
        assertThatCode(() -> result[0] = validator.validate(raw)).as(what).doesNotThrowAnyException();
        Validated validated = result[0];
        assertThat(validated).as(what).isNotNull();
        assertThat(validated.event() == null).as(what).isNotEqualTo(validated.deadLetter() == null);
        if (validated.isAccepted()) {
            accepted++;
            TraceEvent event = validated.event();
            assertThat(event.payload).as(what).isEqualTo(raw.body);
            assertThat(event.traceId).as(what).matches("[0-9a-f]{32}");
            assertThat(event.spanId).as(what).matches("[0-9a-f]{16}");
            assertThat(event.messageId).as(what).isNotBlank();
            assertThat(event.measurements).as(what).isNotNull();
        } else {
            DeadLetter letter = validated.deadLetter();
            reasons.merge(letter.reason, 1, Integer::sum);
            assertThat(letter.reason).as(what).isNotNull().isNotEqualTo(DeadLetterReason.DUPLICATE);
            assertThat(letter.detail).as(what).isNotBlank();
            assertThat(letter.reason).as(what + ": " + letter.detail).isNotEqualTo(DeadLetterReason.INTERNAL_ERROR);
            assertThat(letter.rawPayload.getBytes(StandardCharsets.UTF_8).length)
                    .as(what).isLessThanOrEqualTo(DEAD_LETTER_BYTES);
            assertThat(letter.sourcePosition).isEqualTo(raw.sourcePosition);
        }
        return validated;
    }

    private static RawMessage raw(byte[] bytes) {
        return new RawMessage(bytes, bytes.length, "fuzz", 1L);
    }

    @Test
    void randomBytes() {
        Random random = new Random(20250903L);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            if (i % 2 == 0) {
                random.nextBytes(bytes);
            } else {
                byte[] chars = JSON_CHARS.getBytes(StandardCharsets.UTF_8);
                for (int j = 0; j < bytes.length; j++) {
                    bytes[j] = chars[random.nextInt(chars.length)];
                }
            }
            check(raw(bytes), "random bytes #" + i + " " + Arrays.toString(bytes));
        }
        assertThat(reasons).containsKey(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void damagedBytesOfValidMessages() {
        Random random = new Random(42L);
        for (MessageType type : MessageType.values()) {
            byte[] valid = ProtocolMessages.of(type).bytes();
            for (int i = 0; i < 1500; i++) {
                byte[] bytes = valid.clone();
                int damages = 1 + random.nextInt(4);
                for (int d = 0; d < damages && bytes.length > 0; d++) {
                    bytes = damage(bytes, random);
                }
                check(raw(bytes), type + " damage #" + i + ": " + new String(bytes, StandardCharsets.UTF_8));
            }
        }
        assertThat(accepted).as("some damage lands in text values").isPositive();
        assertThat(reasons.keySet()).contains(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.INVALID_TRACE_ID);
    }

    private static byte[] damage(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(5)) {
            case 0 -> bytes[at] = (byte) random.nextInt(256);
            case 1 -> bytes[at] = JSON_CHARS.getBytes(StandardCharsets.UTF_8)[random.nextInt(JSON_CHARS.length())];
            case 2 -> {
                int end = Math.min(bytes.length, at + 1 + random.nextInt(20));
                byte[] shorter = new byte[bytes.length - (end - at)];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, end, shorter, at, bytes.length - end);
                return shorter;
            }
            case 3 -> {
                byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                longer[at] = (byte) random.nextInt(256);
                return longer;
            }
            default -> {
                return Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }

    @Test
    void randomValuesInRandomPlaces() {
        Random random = new Random(7L);
        for (MessageType type : MessageType.values()) {
            for (int i = 0; i < 1500; i++) {
                ObjectNode root = ProtocolMessages.of(type).node();
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    mutate(root, random);
                }
                String json = root.toString();
                check(raw(json.getBytes(StandardCharsets.UTF_8)), type + " mutation #" + i + ": " + json);
            }
        }
        assertThat(accepted).isPositive();
        assertThat(reasons.keySet()).contains(
                DeadLetterReason.MISSING_FIELD, DeadLetterReason.INVALID_TYPE, DeadLetterReason.INVALID_TIMESTAMP,
                DeadLetterReason.UNKNOWN_MESSAGE_TYPE, DeadLetterReason.UNSUPPORTED_PROTOCOL_VERSION);
    }

    /** Replaces or removes one random node of the tree. */
    private static void mutate(ObjectNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        HostileMutations.collectContainers(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container.isEmpty()) {
            return;
        }
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, randomValue(random));
            }
        } else {
            ArrayNode array = (ArrayNode) container;
            array.set(random.nextInt(array.size()), randomValue(random));
        }
    }

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.textNode("");
            case 2 -> NODES.textNode("fast");
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(0);
            case 5 -> NODES.numberNode(1.5);
            case 6 -> NODES.numberNode(1e308);
            case 7 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 8 -> NODES.numberNode(Long.MAX_VALUE);
            case 9 -> NODES.booleanNode(random.nextBoolean());
            case 10 -> NODES.arrayNode();
            case 11 -> NODES.objectNode();
            case 12 -> NODES.arrayNode().add(1).add("a").add(NODES.objectNode());
            case 13 -> NODES.objectNode().set("a", NODES.objectNode().put("b", 2));
            case 14 -> NODES.textNode("2025-09-03T10:00:00Z");
            case 15 -> NODES.textNode("2025-09-03T10:00:00");
            case 16 -> NODES.textNode("+999999999-12-31T23:59:59Z");
            case 17 -> NODES.textNode("4bf92f3577b34da6a3ce929d0e0e4736");
            case 18 -> NODES.textNode("x".repeat(random.nextInt(2000)));
            case 19 -> NODES.textNode("\u0000\uD83D\uDE00\uFFFF");
            case 20 -> NODES.numberNode(150);
            default -> NODES.numberNode(random.nextDouble() * 200 - 50);
        };
    }

    @Test
    void deepNesting() {
        String arrays = "[".repeat(500_000) + "]".repeat(500_000);
        String objects = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        String unclosed = "{\"message_id\":\"deep\",\"x\":" + "[".repeat(200_000);

        for (String text : List.of(arrays, objects, unclosed)) {
            DeadLetter letter = check(LARGE, raw(text.getBytes(StandardCharsets.UTF_8)), "deep").deadLetter();
            assertThat(letter.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
            assertThat(letter.detail).contains("nesting depth");
        }
        assertThat(check(raw(unclosed.getBytes(StandardCharsets.UTF_8)), "too deep and too large")
                .deadLetter().messageId).isEqualTo("deep");
    }

    @Test
    void deepAttributesWithinTheParserLimit() throws Exception {
        ObjectNode deep = NODES.objectNode();
        ObjectNode inner = deep;
        for (int i = 0; i < 990; i++) {
            inner = inner.putObject("n");
        }
        inner.put("leaf", 1);
        String json = ProtocolMessages.start().setInBody("span_attributes.deep", deep).json();

        Validated validated = check(raw(json.getBytes(StandardCharsets.UTF_8)), "deep attributes");

        assertThat(Json.mapper().readTree(json).at("/payload/trace_start/span_attributes/deep/n").isObject()).isTrue();
        assertThat(validated).isNotNull();
    }

    @Test
    void inconsistentRecords() {
        byte[] valid = ProtocolMessages.update().bytes();

        check(new RawMessage(valid, -5, "fuzz", 1L), "negative size");
        check(new RawMessage(valid, 3, "fuzz", 1L), "size below the body");
        check(new RawMessage(null, 100, "fuzz", 1L), "no body");
        check(new RawMessage(new byte[0], 0, null, -1L), "nothing at all");
    }
}
