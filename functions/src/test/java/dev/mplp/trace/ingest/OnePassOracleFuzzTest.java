package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.HostileMutations;
import dev.mplp.trace.testing.ProtocolMessages;
import dev.mplp.trace.testing.ProtocolSamples;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one-pass read ({@link OnePassReader}) against the tree checks ({@link MessageValidator#validateByTree}), the
 * reference, on seeded mutations of the protocol's four samples: for every record, the one-pass read gives an event
 * exactly when the tree checks accept, and the same event; and the validator's answer (one pass, else the tree) is
 * the tree's, dead letter for dead letter. Two mutators: {@link HostileMutations} (hostile values anywhere, invalid
 * UTF-8, duplicate keys, truncation, deep nesting) and one aimed at what the checks read (each envelope and body
 * field, and each detection number, set to a value of every JSON type and edge, null, or removed; siblings added to
 * the payload; other encodings and byte order marks). The generator's traffic and the malformed corpus are
 * OnePassOracleCorpusTest's (jobs module).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OnePassOracleFuzzTest {

    private static final int HOSTILE_PER_SAMPLE = 400;
    private static final int AIMED_PER_SAMPLE = 1_500;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MessageValidator VALIDATOR =
            new MessageValidator(1 << 20, 2048, Set.of(ProtocolMessages.PROTOCOL_VERSION, "1.0.0"));
    private static final OnePassReader ONE_PASS =
            new OnePassReader(1 << 20, Set.of(ProtocolMessages.PROTOCOL_VERSION, "1.0.0"));

    private static List<ObjectNode> samples;

    @BeforeAll
    static void samples() throws Exception {
        samples = new ArrayList<>();
        for (String file : List.of(ProtocolSamples.START, ProtocolSamples.UPDATE, ProtocolSamples.COMPLETE,
                ProtocolSamples.METRICS)) {
            samples.add((ObjectNode) Json.mapper().readTree(ProtocolSamples.bytes(file)));
        }
    }

    @Test
    void hostileMutationsGetTheTreesAnswer() throws Exception {
        Random random = new Random(16);
        Outcomes outcomes = new Outcomes();
        for (ObjectNode sample : samples) {
            for (int i = 0; i < HOSTILE_PER_SAMPLE; i++) {
                outcomes.compare(HostileMutations.mutant(sample, random, null));
            }
        }
        outcomes.assertVaried(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.INVALID_TYPE,
                DeadLetterReason.INVALID_TRACE_ID);
    }

    @Test
    void aimedMutationsGetTheTreesAnswer() throws Exception {
        Random random = new Random(1616);
        Outcomes outcomes = new Outcomes();
        for (ObjectNode sample : samples) {
            List<String> paths = new ArrayList<>();
            leafPaths(sample, "", paths);
            for (int i = 0; i < AIMED_PER_SAMPLE; i++) {
                ObjectNode message = sample.deepCopy();
                message.put("message_id", "msg-aimed-" + i);
                int changes = 1 + random.nextInt(random.nextInt(8) == 0 ? 3 : 1);
                for (int c = 0; c < changes; c++) {
                    aim(message, paths.get(random.nextInt(paths.size())), random);
                }
                outcomes.compare(encode(Json.mapper().writeValueAsBytes(message), random));
            }
        }
        outcomes.assertVaried(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.UNKNOWN_MESSAGE_TYPE,
                DeadLetterReason.MISSING_FIELD, DeadLetterReason.INVALID_TYPE, DeadLetterReason.INVALID_TIMESTAMP,
                DeadLetterReason.UNSUPPORTED_PROTOCOL_VERSION, DeadLetterReason.INVALID_SPAN_ID);
    }

    @Test
    void recordsAtTheEdgesOfTheFormatGetTheTreesAnswer() {
        Outcomes outcomes = new Outcomes();
        String start = ProtocolSamples.text(ProtocolSamples.START);
        String body = start.substring(1);
        for (String text : List.of(start, "", " ", "null", "[]", "[" + start + "]", "\"text\"", "42", "{}", start + " ",
                " \n\t" + start, start + "{}", start + " x", "\uFEFF" + start, "{" + body.replaceFirst("\"payload\"",
                        "\"payload\":{},\"payload_\""))) {
            outcomes.compare(text.getBytes(StandardCharsets.UTF_8));
        }
        for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16, java.nio.charset.Charset.forName("UTF-32BE"),
                java.nio.charset.Charset.forName("UTF-32LE"))) {
            outcomes.compare(start.getBytes(charset));
        }
        outcomes.compare(("{\u0000" + body).getBytes(StandardCharsets.UTF_8));
        assertThat(outcomes.accepted).as("the sample with whitespace around it").isEqualTo(3);
    }

    /** Replaces, nulls or removes the value at a path, or adds a sibling to the payload's body. */
    private static void aim(ObjectNode message, String path, Random random) {
        String[] names = path.split("\\.");
        JsonNode parent = message;
        for (int i = 0; i < names.length - 1 && parent != null; i++) {
            parent = parent.get(names[i]);
        }
        if (!(parent instanceof ObjectNode object)) {
            return;
        }
        String name = names[names.length - 1];
        switch (random.nextInt(12)) {
            case 0 -> object.remove(name);
            case 1 -> object.putNull(name);
            case 2 -> {
                ObjectNode payload = (ObjectNode) message.get("payload");
                if (payload != null) {
                    List<String> bodies = List.of("trace_start", "trace_update", "trace_completion",
                            "metrics_collection", "extra");
                    String sibling = bodies.get(random.nextInt(bodies.size()));
                    if (random.nextBoolean()) {
                        payload.putNull(sibling);
                    } else {
                        payload.putObject(sibling);
                    }
                }
            }
            default -> object.set(name, value(object.get(name), random));
        }
    }

    /** A value of another JSON type, or of the same type at an edge of what the checks allow. */
    private static JsonNode value(JsonNode current, Random random) {
        List<JsonNode> values = List.of(NODES.textNode(""), NODES.textNode("  "), NODES.textNode("5"),
                NODES.textNode("x"), NODES.numberNode(5), NODES.numberNode(0), NODES.numberNode(-1),
                NODES.numberNode(-0.0), NODES.numberNode(1.5), NODES.numberNode(1.0), NODES.numberNode(100),
                NODES.numberNode(100.0000001), NODES.numberNode(101), NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(new BigInteger("9".repeat(30))), NODES.numberNode(new BigDecimal("1e400")),
                NODES.numberNode(new BigDecimal("-1e-400")), NODES.booleanNode(true), NODES.objectNode(),
                NODES.arrayNode(), NODES.arrayNode().add(current == null ? NODES.nullNode() : current),
                NODES.objectNode().set("v", current == null ? NODES.nullNode() : current),
                NODES.textNode("2025-09-03T10:00:00+02:00"), NODES.textNode("2025-09-03T10:00:00"),
                NODES.textNode("2025-09-03 10:00:00Z"), NODES.textNode("trace.execution.update"),
                NODES.textNode("1.0.0"), NODES.textNode("0000000000000000"), NODES.textNode("00f067aa0ba902b7"),
                NODES.textNode("4bf92f3577b34da6a3ce929d0e0e4736"), NODES.textNode("caf\u00e9 \uD83D\uDE80"));
        return values.get(random.nextInt(values.size()));
    }

    /** Mostly UTF-8 as written; sometimes a byte order mark, other whitespace, or a prefix of the record. */
    private static byte[] encode(byte[] utf8, Random random) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        return switch (random.nextInt(40)) {
            case 0 -> ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
            case 1 -> ("\r\n" + text + "\n").getBytes(StandardCharsets.UTF_8);
            case 2 -> java.util.Arrays.copyOf(utf8, random.nextInt(utf8.length));
            default -> utf8;
        };
    }

    private static void leafPaths(JsonNode node, String prefix, List<String> into) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            into.add(path);
            leafPaths(field.getValue(), path, into);
        }
    }

    /** Compares the two paths on each record and counts the outcomes. */
    private static final class Outcomes {
        int read;
        int accepted;
        int acceptedByTheTreeOnly;
        final Map<DeadLetterReason, Integer> reasons = new EnumMap<>(DeadLetterReason.class);

        void compare(byte[] record) {
            RawMessage raw = new RawMessage(record, record.length, "fuzz:" + read, ProtocolMessages.INGEST_TIME);
            String what = "#" + read + ": " + preview(record);
            read++;
            Validated reference = VALIDATOR.validateByTree(raw);
            TraceEvent onePass = ONE_PASS.read(raw, record);

            if (onePass != null) {
                assertThat(reference.isAccepted()).as("the tree accepts what one pass accepts: " + what + " "
                        + reference.deadLetter()).isTrue();
                assertThat(onePass).as(what).isEqualTo(reference.event());
                assertThat(onePass.payload).as(what).isEqualTo(record);
            } else if (reference.isAccepted()) {
                acceptedByTheTreeOnly++;
                assertThat(new String(record, StandardCharsets.UTF_8))
                        .as("only a blank string (for a number) sends an acceptable message to the tree: " + what)
                        .containsPattern(":\"\\s*\"");
            }
            assertThat(VALIDATOR.validate(raw)).as(what).isEqualTo(reference);
            if (reference.isAccepted()) {
                accepted++;
            } else {
                reasons.merge(reference.deadLetter().reason, 1, Integer::sum);
            }
        }

        void assertVaried(DeadLetterReason... expected) {
            assertThat(accepted).as("accepted of " + read).isGreaterThan(read / 10);
            assertThat(acceptedByTheTreeOnly).as("accepted by the tree only, of " + accepted)
                    .isLessThan(Math.max(1, accepted / 20));
            assertThat(read - accepted).as("rejected of " + read).isGreaterThan(read / 10);
            assertThat(reasons.keySet()).contains(expected);
        }

        private static String preview(byte[] record) {
            String text = new String(record, StandardCharsets.UTF_8);
            return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + record.length + " bytes)";
        }
    }
}
