package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mplp.trace.generator.MalformedMessages.Entry;
import dev.mplp.trace.generator.MalformedMessages.Malformation;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedMessagesTest {

    private static final long LIMIT = 64 * 1024;
    /** Strict like the validator: trailing content and repeated keys are errors. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Map<MessageType, String> SAMPLES = MalformedMessages.sampleMessages();

    @Test
    void theCatalogueHasFortyOrMoreUniquelyNamedEntries() {
        List<Malformation> catalogue = MalformedMessages.catalogue();

        assertThat(catalogue).hasSizeGreaterThanOrEqualTo(40);
        assertThat(catalogue.stream().map(Malformation::name).distinct().count()).isEqualTo(catalogue.size());
        assertThat(catalogue).allSatisfy(m -> {
            assertThat(m.name()).matches("[a-z0-9_]+");
            assertThat(m.description()).isNotBlank();
            assertThat(m.appliesTo()).isNotEmpty();
            assertThat(MalformedMessages.byName(m.name())).containsSame(m);
        });
    }

    @Test
    void everyReasonButDuplicateHasAtLeastThreeVariants() {
        Set<DeadLetterReason> expected = EnumSet.allOf(DeadLetterReason.class);
        expected.remove(DeadLetterReason.DUPLICATE);
        // the security reasons depend on security modes and keys, not on a record's bytes alone
        expected.remove(DeadLetterReason.INTEGRITY_FAILED);
        expected.remove(DeadLetterReason.AUTH_FAILED);
        // a protocol message cannot be malformed OTLP: that reason belongs to OTLP sources
        expected.remove(DeadLetterReason.MALFORMED_OTLP);
        // no record is built to fail validation unforeseen: that is a gap in the checks, not a malformation
        expected.remove(DeadLetterReason.INTERNAL_ERROR);

        assertThat(MalformedMessages.reasons()).isEqualTo(expected);
        for (DeadLetterReason reason : expected) {
            assertThat(MalformedMessages.ofReason(reason)).as(reason.wireName()).hasSizeGreaterThanOrEqualTo(3);
        }
        assertThat(MalformedMessages.ofReason(DeadLetterReason.DUPLICATE)).isEmpty();
        for (String path : List.of("message_id", "sender_id", "payload", "trace_id", "span_id", "service_name",
                "operation_name", "status", "start_time", "update_timestamp", "completion_timestamp",
                "collection_timestamp", "message_type")) {
            assertThat(MalformedMessages.ofReason(DeadLetterReason.MISSING_FIELD))
                    .as("a missing " + path).anySatisfy(m -> assertThat(m.name()).contains(path));
        }
    }

    @Test
    void theCorpusHasOneLineOfEachMalformationCoveringAllFourTypes() {
        List<Entry> corpus = MalformedMessages.corpus(LIMIT);

        assertThat(corpus).extracting(Entry::name)
                .containsExactlyElementsOf(MalformedMessages.catalogue().stream().map(Malformation::name).toList());
        assertThat(corpus.stream().map(Entry::sourceType).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(MessageType.values());
        assertThat(corpus).allSatisfy(entry -> {
            assertThat(entry.line()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            assertThat(entry.expectedReason()).isEqualTo(MalformedMessages.byName(entry.name()).orElseThrow()
                    .expectedReason());
        });
        assertThat(MalformedMessages.corpus(LIMIT)).as("deterministic").isEqualTo(corpus);
    }

    @Test
    void oversizeRecordsExceedTheLimitAndAreOtherwiseValid() {
        for (Entry entry : MalformedMessages.corpus(LIMIT)) {
            long bytes = entry.line().getBytes(StandardCharsets.UTF_8).length;
            if (entry.expectedReason() == DeadLetterReason.OVERSIZE) {
                assertThat(bytes).as(entry.name()).isGreaterThan(LIMIT);
            } else {
                assertThat(bytes).as(entry.name()).isLessThan(LIMIT);
            }
        }
        Malformation byOne = MalformedMessages.byName("oversize_by_one_byte").orElseThrow();
        assertThat(byOne.needsSizeLimit()).isTrue();
        assertThat(byOne.apply(SAMPLES.get(MessageType.UPDATE), 10_000).getBytes(StandardCharsets.UTF_8))
                .hasSize(10_001);
    }

    @Test
    void malformedJsonRecordsAreNotJsonObjects() {
        for (Malformation m : MalformedMessages.ofReason(DeadLetterReason.MALFORMED_JSON)) {
            for (MessageType type : m.appliesTo()) {
                String line = m.apply(SAMPLES.get(type), LIMIT);
                assertThat(parsesAsObject(line)).as(m.name() + " on " + type).isFalse();
            }
        }
    }

    @Test
    void everyOtherRecordDiffersFromItsValidMessageInExactlyOnePlace() throws IOException {
        for (Malformation m : MalformedMessages.catalogue()) {
            if (m.expectedReason() == DeadLetterReason.MALFORMED_JSON) {
                continue;
            }
            for (MessageType type : m.appliesTo()) {
                String valid = SAMPLES.get(type);
                String broken = m.apply(valid, LIMIT);
                List<String> differences = new ArrayList<>();
                diff("", STRICT.readTree(valid), STRICT.readTree(broken), differences);
                // moving the body under another name is one defect seen as a removal and an addition
                int expected = m.name().equals("payload_of_other_type") ? 2 : 1;
                assertThat(differences).as(m.name() + " on " + type.wireName()).hasSize(expected);
            }
        }
    }

    @Test
    void aMalformationOnlyAppliesToItsTypes() {
        Malformation updateOnly = MalformedMessages.byName("update_missing_status").orElseThrow();

        assertThat(updateOnly.appliesTo()).containsExactly(MessageType.UPDATE);
        assertThatThrownBy(() -> updateOnly.apply(SAMPLES.get(MessageType.START), LIMIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not apply to trace.execution.start messages");
        assertThatThrownBy(() -> updateOnly.apply("not json", LIMIT)).hasMessageContaining("not a JSON message");
    }

    @Test
    void theFaultDrawsOnlyWhatItsParametersAllow() {
        assertThat(MalformedMessages.candidates(MessageType.START, FaultSpec.parse("malformed:*")))
                .noneMatch(Malformation::needsSizeLimit)
                .anyMatch(m -> m.name().startsWith("start_"))
                .noneMatch(m -> m.name().startsWith("update_"));
        assertThat(MalformedMessages.candidates(MessageType.METRICS,
                        FaultSpec.parse("malformed:*:reason=oversize,max_bytes=1000")))
                .isNotEmpty()
                .allMatch(Malformation::needsSizeLimit);
        assertThat(MalformedMessages.candidates(MessageType.UPDATE,
                        FaultSpec.parse("malformed:*:variant=start_missing_start_time")))
                .isEmpty();
    }

    @Test
    void theCorpusIsWrittenAsRecordsAndExpectations(@TempDir Path dir) throws IOException {
        int count = MalformedMessages.writeCorpus(dir.resolve("corpus"), LIMIT);

        List<String> lines = Files.readAllLines(dir.resolve("corpus/malformed.jsonl"));
        List<String> expected = Files.readAllLines(dir.resolve("corpus/expected.jsonl"));
        assertThat(lines).hasSize(count);
        assertThat(expected).hasSize(count);
        JsonNode first = STRICT.readTree(expected.get(0));
        assertThat(first.get("line").asInt()).isEqualTo(1);
        assertThat(first.get("name").asText()).isEqualTo(MalformedMessages.catalogue().get(0).name());
        assertThat(first.get("expected_reason").asText()).isEqualTo("oversize");
        assertThat(new TreeSet<>(expected.stream()
                        .map(l -> readTree(l).get("expected_reason").asText()).toList()))
                .hasSize(DeadLetterReason.values().length - 5); // not duplicate, the two security ones, malformed_otlp, internal_error
    }

    private static JsonNode readTree(String line) {
        try {
            return STRICT.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean parsesAsObject(String line) {
        try {
            JsonNode node = STRICT.readTree(line);
            return node != null && node.isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Adds the paths where {@code a} and {@code b} differ; a changed container counts once unless both are alike. */
    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode x = a.get(name);
                JsonNode y = b.get(name);
                if (x == null || y == null) {
                    out.add(path + "." + name + (x == null ? " added" : " removed"));
                } else {
                    diff(path + "." + name, x, y, out);
                }
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> x = a.elements();
            Iterator<JsonNode> y = b.elements();
            for (int i = 0; x.hasNext(); i++) {
                diff(path + "[" + i + "]", x.next(), y.next(), out);
            }
        } else {
            out.add(path + " changed");
        }
    }
}
