package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.SecurityConfig.PiiDetector;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.security.PiiMasker;
import dev.mplp.trace.security.SecurityFixtures;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PII planted in generated traffic (the generator's user and session ids, plus an e-mail address, IPv4 and IPv6
 * addresses and a phone number per trace) reaches none of the outputs of a full streaming run: alerts, dead
 * letters (malformed, invalid and duplicate records), late messages and every table of the Parquet archive.
 */
class PiiMaskingITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @TempDir
    Path dir;

    @Test
    void noPlantedValueReachesAnyOutputAndPseudonymsAgree() throws Exception {
        Path key = SecurityFixtures.write(dir.resolve("pii.key"), SecurityFixtures.PII_KEY);
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "security.pii.enabled", "true",
                "security.pii.key-file", key.toString()));
        Set<String> planted = new LinkedHashSet<>();
        Path input = writeTraffic(planted);
        Path archive = dir.resolve("archive");

        RunSummary summary = StreamJob.run(StreamJob.Options.of(
                        new Endpoint.File(input),
                        new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")),
                        new Endpoint.File(dir.resolve("late")),
                        false).withArchive(ArchiveLocation.parse("file:" + archive)),
                config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        List<String> deadLetters = lines(dir.resolve("dlq"));
        List<String> alerts = lines(dir.resolve("alerts"));
        List<String> late = lines(dir.resolve("late"));
        List<String> archived = ArchiveFiles.visibleParquetFiles(archive).stream()
                .flatMap(file -> ArchiveFiles.rows(file).stream())
                .map(Group::toString)
                .toList();
        assertThat(summary.balanced()).isTrue();
        assertThat(deadLetters).as("malformed, invalid and duplicate records").hasSizeGreaterThan(10);
        assertThat(alerts).isNotEmpty();
        assertThat(late).isNotEmpty();
        assertThat(archived).hasSizeGreaterThan(100);
        assertThat(planted).hasSizeGreaterThan(50);
        for (List<String> output : List.of(deadLetters, alerts, late, archived)) {
            assertThat(output).allSatisfy(record -> assertThat(record).doesNotContain(planted));
        }

        // the same value has the same pseudonym everywhere, so joins and per-user counts still work
        PiiMasker masker = new PiiMasker(SecurityFixtures.PII_KEY.getBytes(StandardCharsets.UTF_8), List.of(),
                List.of(PiiDetector.values()));
        String someUser = planted.stream().filter(v -> v.startsWith("user-")).findFirst().orElseThrow();
        String pseudonym = masker.pseudonym(someUser);
        assertThat(archived.stream().filter(row -> row.contains(pseudonym)))
                .as("the messages of %s's trace in the archive", someUser).isNotEmpty();
        assertThat(deadLetters.stream().flatMap(l -> Stream.of(l.split("pii:")).skip(1))
                .map(p -> "pii:" + p.substring(0, 16)))
                .as("dead letters carry pseudonyms of the same kind").allMatch(p -> p.matches("pii:[0-9a-f]{16}"));
    }

    /** Generated traffic with faults that make every output, PII planted into each valid start message. */
    private Path writeTraffic(Set<String> planted) throws IOException {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(23)
                .duration(Duration.ofSeconds(40))
                .rate(2)
                .fault("cpu:catalog@+5s/30s:percent=97")
                .fault("malformed:*:fraction=0.05")
                .fault("duplicate:*:fraction=0.05")
                .fault("out_of_order:*:fraction=0.1,max_delay=30s")
                .build();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (GeneratedMessage message : new TrafficGenerator(settings)) {
            lines.add(message.isValid() && message.type() != null ? plant(message.json(), ++n, planted)
                    : message.json());
        }
        Path file = dir.resolve("traffic.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String plant(String json, int n, Set<String> planted) throws IOException {
        JsonNode root = Json.mapper().readTree(json);
        JsonNode start = root.path("payload").path("trace_start");
        if (start instanceof ObjectNode body) {
            planted.add(body.path("context").path("user_id").asText());
            planted.add(body.path("context").path("session_id").asText());
            ObjectNode attributes = (ObjectNode) body.get("span_attributes");
            String email = "jane.doe" + n + "@example.com";
            String ipv4 = "198.51.100." + (n % 250 + 1);
            String ipv6 = "2001:db8::" + Integer.toHexString(0x1000 + n);
            String phone = "+1 415 555 " + (1000 + n % 9000);
            attributes.put("enduser.email", email);
            attributes.put("client.address", ipv4);
            attributes.put("net.peer.ip", ipv6);
            attributes.put("note", "call " + phone + " or write to " + email);
            planted.addAll(List.of(email, ipv4, ipv6, phone));
            return Json.mapper().writeValueAsString(root);
        }
        return json;
    }

    private static List<String> lines(Path outputDir) {
        return JsonLinesOutput.read(outputDir).stream().map(JsonNode::toString).toList();
    }
}
