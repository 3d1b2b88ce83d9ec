package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.mplp.trace.testing.ProtocolMessages;
import dev.mplp.trace.testing.ProtocolSamples;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniqueNamesParserTest {

    private static final JsonFactory LENIENT = new JsonFactory();
    private static final JsonFactory STRICT =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Test
    void findsTheDuplicatesJacksonsStrictDetectionFinds() throws IOException {
        for (String json : List.of(
                "{\"a\":1,\"b\":2,\"a\":3}",
                "{\"a\":{\"b\":1,\"b\":2}}",
                "{\"a\":{\"b\":1},\"b\":{\"a\":1}}",
                "{\"a\":[{\"x\":1},{\"x\":2}],\"x\":[{\"x\":1,\"y\":2,\"x\":3}]}",
                "[{\"a\":1},{\"a\":1,\"a\":2}]",
                "{\"a\":{},\"a\":[]}",
                "{\"o\":{\"p\":{\"q\":1}},\"p\":1,\"q\":{\"q\":{\"q\":1}}}")) {
            assertThat(duplicateOf(LENIENT, json, true)).as(json).isEqualTo(duplicateOf(STRICT, json, false));
        }
    }

    @Test
    void agreesWithJacksonOnRandomDocumentsSmallAndLarge() throws IOException {
        Random random = new Random(17);
        int duplicates = 0;
        for (int i = 0; i < 3_000; i++) {
            // few names, so that repeats are common; objects of up to 40 names, past the linear scan's 16
            String json = object(random, 0, 2 + random.nextInt(i % 10 == 0 ? 60 : 12));
            String strict = duplicateOf(STRICT, json, false);
            assertThat(duplicateOf(LENIENT, json, true)).as(json).isEqualTo(strict);
            if (strict != null) {
                duplicates++;
            }
        }
        assertThat(duplicates).as("documents with a duplicate among the 3,000").isBetween(300, 2_700);
    }

    @Test
    void aDuplicateInAFieldThatIsSkippedStillFails() throws IOException {
        try (JsonParser parser = new UniqueNamesParser(LENIENT.createParser("{\"skip\":{\"a\":{\"b\":1,\"b\":2}}}"))) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(parser.nextFieldName()).isEqualTo("skip");
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThatThrownBy(parser::skipChildren).isInstanceOf(JsonParseException.class)
                    .hasMessageContaining("Duplicate field 'b'");
        }
    }

    @Test
    void theOnePassReadLeavesAMessageWithADuplicateToTheTreeChecks() {
        String start = ProtocolSamples.text(ProtocolSamples.START);
        OnePassReader reader = new OnePassReader(1 << 20, Set.of(ProtocolMessages.PROTOCOL_VERSION));
        assertThat(read(reader, start)).as("the sample itself").isNotNull();
        assertThat(read(reader, start.replaceFirst("\"span_id\"", "\"span_id\": \"00f067aa0ba902b7\", \"span_id\"")))
                .as("a duplicate in the body").isNull();
        assertThat(read(reader, start.replaceFirst("\\{", "{\"unknown\": {\"k\": 1, \"k\": 2}, ")))
                .as("a duplicate inside a field the binding skips").isNull();
    }

    private static Object read(OnePassReader reader, String message) {
        byte[] bytes = RawMessage.of(message, "test:0", 0L).body;
        return reader.read(RawMessage.of(message, "test:0", 0L), bytes);
    }

    /** The name Jackson or ours reports as a duplicate while reading the whole document; null when none. */
    private static String duplicateOf(JsonFactory factory, String json, boolean ours) throws IOException {
        JsonParser plain = factory.createParser(json);
        try (JsonParser parser = ours ? new UniqueNamesParser(plain) : plain) {
            while (parser.nextToken() != null) {
                // read on
            }
            return null;
        } catch (JsonParseException e) {
            assertThat(e.getOriginalMessage()).startsWith("Duplicate field '");
            return e.getOriginalMessage();
        }
    }

    private static String object(Random random, int depth, int size) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                json.append(',');
            }
            // 40 names: the large objects mostly repeat one, the small ones sometimes
            json.append("\"n").append(random.nextInt(size > 16 ? 45 : 14)).append("\":").append(value(random, depth));
        }
        return json.append('}').toString();
    }

    private static String value(Random random, int depth) {
        int kind = depth >= 3 ? 0 : random.nextInt(5);
        return switch (kind) {
            case 1 -> object(random, depth + 1, random.nextInt(5));
            case 2 -> "[" + object(random, depth + 1, random.nextInt(4)) + "," + random.nextInt(9) + "]";
            default -> Integer.toString(random.nextInt(100));
        };
    }
}
