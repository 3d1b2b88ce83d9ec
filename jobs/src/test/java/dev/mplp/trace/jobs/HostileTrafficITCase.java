package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.security.SecurityFixtures;
import dev.mplp.trace.testing.HostileMutations;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.ProtocolMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job over generated traffic, a third of it hostile mutants (see {@link HostileMutations}), plus a
 * line of over a megabyte of letters, one of 900 KB, and records with a 10,000-character {@code user_id} value,
 * with PII masking on and restart strategy {@code none}, so that any record that fails the task fails the test:
 * the job finishes, every line read is accepted or dead-lettered, none as {@code internal_error}, and no planted
 * personal data reaches the dead letters. The timeout only guards against a hang.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileTrafficITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @TempDir
    Path dir;

    @Test
    void everyHostileLineIsAcceptedOrDeadLetteredWithoutARestart() throws Exception {
        Path key = SecurityFixtures.write(dir.resolve("pii.key"), SecurityFixtures.PII_KEY);
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "restart-strategy.type", "none",
                "security.pii.enabled", "true",
                "security.pii.key-file", key.toString()));
        List<byte[]> lines = hostileTraffic();
        Path input = dir.resolve("hostile.jsonl");
        try (OutputStream out = Files.newOutputStream(input)) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        long records = lines.stream().filter(line -> !isBlank(line)).count();

        RunSummary summary = StreamJob.run(StreamJob.Options.of(
                        new Endpoint.File(input),
                        new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")),
                        new Endpoint.File(dir.resolve("late")),
                        false),
                config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        List<JsonNode> deadLetters = JsonLinesOutput.read(dir.resolve("dlq"));
        assertThat(summary.read()).as("every non-blank line is read once: no restart re-read any")
                .isEqualTo(records);
        assertThat(summary.balanced()).as("read = accepted + dead-lettered").isTrue();
        assertThat(summary.accepted()).isPositive();
        assertThat(summary.deadLetters()).doesNotContainKey(DeadLetterReason.INTERNAL_ERROR)
                .containsKeys(DeadLetterReason.OVERSIZE, DeadLetterReason.MALFORMED_JSON,
                        DeadLetterReason.INVALID_TYPE);
        assertThat(deadLetters).hasSize((int) summary.deadLettered());
        assertThat(deadLetters).allSatisfy(letter -> assertThat(letter.toString())
                .doesNotContain(HostileMutations.PLANTED_EMAIL, HostileMutations.LONG_USER_ID.substring(0, 64)));
        assertThat(deadLetters).filteredOn(letter -> letter.path("source_position").asText().endsWith(":1"))
                .singleElement().satisfies(letter -> {
                    assertThat(letter.path("reason").asText()).isEqualTo("oversize");
                    assertThat(letter.path("payload_truncated").asBoolean()).isTrue();
                });
    }

    /**
     * First the hostile lines of the issue, then generated traffic with malformed records and duplicates, a third
     * of its messages mutated.
     */
    private static List<byte[]> hostileTraffic() throws Exception {
        List<byte[]> lines = new ArrayList<>();
        lines.add("a".repeat((1 << 20) + 1000).getBytes(StandardCharsets.US_ASCII));
        lines.add("b".repeat(900_000).getBytes(StandardCharsets.US_ASCII));
        lines.add(ProtocolMessages.start().messageId("long-user-id")
                .setInBody("context.user_id", HostileMutations.LONG_USER_ID).bytes());
        lines.add(ProtocolMessages.update().messageId("long-user-id-in-a-log")
                .setInBody("span_logs", ProtocolMessages.array(ProtocolMessages.log(ProtocolMessages.UPDATE_TIME,
                        "INFO", "{\"user_id\": \"" + HostileMutations.LONG_USER_ID + "\"}")))
                .bytes());
        lines.add(("{\"message_id\": \"unparsable\", \"user_id\":\"" + HostileMutations.LONG_USER_ID + "\"")
                .getBytes(StandardCharsets.UTF_8));
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(15)
                .duration(Duration.ofSeconds(30))
                .rate(2)
                .fault("malformed:*:fraction=0.05")
                .fault("duplicate:*:fraction=0.05")
                .build();
        Random random = new Random(1515L);
        for (GeneratedMessage message : new TrafficGenerator(settings)) {
            byte[] line = message.json().getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(3) == 0 && parsesAsObject(line) instanceof ObjectNode node) {
                line = HostileMutations.mutant(node, random, null);
            }
            lines.add(line);
        }
        return lines;
    }

    private static JsonNode parsesAsObject(byte[] line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** As the file source sees it: a line of nothing but spaces, tabs and carriage returns is no record. */
    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
