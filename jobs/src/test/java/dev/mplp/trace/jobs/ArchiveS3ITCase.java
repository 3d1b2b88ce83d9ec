package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.MalformedMessages;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.ProtocolSamples;
import dev.mplp.trace.testing.S3ProxyExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job with {@code --archive s3://…} against a real S3-compatible server (S3Proxy, a child process on
 * loopback), through Flink's S3 file system plugin: the tables land in their Hive layout, and the rows match the run's
 * own counts.
 */
class ArchiveS3ITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension("trace-archive");

    @TempDir
    Path dir;

    @Test
    void writesEveryAcceptedMessageAndEveryDeadLetterOnceInTheHiveLayout() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String sample : List.of(ProtocolSamples.START, ProtocolSamples.UPDATE, ProtocolSamples.METRICS,
                ProtocolSamples.COMPLETE)) {
            lines.add(MAPPER.writeValueAsString(MAPPER.readTree(ProtocolSamples.text(sample))));
        }
        TraceAnalyticsConfig config = config();
        MalformedMessages.corpus(config.ingest().maxMessageBytes()).forEach(entry -> lines.add(entry.line()));
        Path traffic = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                        .seed(5)
                        .duration(Duration.ofSeconds(20))
                        .rate(3)
                        .fault("cpu:catalog@+5s/10s:percent=97")
                        .fault("duplicate:*:fraction=0.05")
                        .build()), traffic, 0);
        lines.addAll(Files.readAllLines(traffic));
        Path input = dir.resolve("input.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);

        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(new Endpoint.File(input), new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")), null, false)
                        .withArchive(ArchiveLocation.parse(S3.uri("run1"))),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        Path root = S3.bucketDir().resolve("run1");
        List<Group> messages = ArchiveLayout.rowsCheckingLayout(root.resolve("messages"), "messages", "event_time");
        List<Group> deadLetters = ArchiveLayout.rowsCheckingLayout(
                root.resolve("dead_letters"), "dead_letters", ArchiveS3ITCase::deadLetterPartitionTime);
        List<Group> alerts = ArchiveLayout.rowsCheckingLayout(root.resolve("alerts"), "alerts", "evaluation_timestamp");
        List<Group> spans = ArchiveLayout.rowsCheckingLayout(root.resolve("spans"), "spans", "end_time");
        List<Group> windows =
                ArchiveLayout.rowsCheckingLayout(root.resolve("service_windows"), "service_windows", "window_start");
        assertThat(spans).as("completed spans").isNotEmpty();
        assertThat(spans.stream().map(row -> row.getString("trace_id", 0) + "/" + row.getString("span_id", 0)))
                .doesNotHaveDuplicates();
        assertThat(windows).as("window summaries").isNotEmpty();

        assertThat(summary.balanced()).isTrue();
        assertThat(summary.deadLettered()).isGreaterThan(0);
        assertThat(messages).hasSize((int) summary.accepted());
        assertThat(deadLetters).hasSize((int) summary.deadLettered());
        assertThat(messages.stream().map(m -> m.getString("message_id", 0)).distinct()).hasSize(messages.size());

        // the archive holds what the JSON outputs hold: same alert ids and states, same dead-letter reasons
        List<JsonNode> alertJson = JsonLinesOutput.read(dir.resolve("alerts"));
        assertThat(alerts).isNotEmpty();
        assertThat(alerts.stream().map(a -> a.getString("alert_id", 0) + "/" + a.getString("evaluation_result", 0)))
                .containsExactlyInAnyOrderElementsOf(alertJson.stream()
                        .map(a -> a.get("alert_id").asText() + "/" + a.get("evaluation_result").asText())
                        .toList());
        // dead letters are placed by their record's event time where it has one: a duplicate always does, a record
        // that is no JSON never
        assertThat(deadLetters).filteredOn(d -> d.getString("reason", 0).equals("duplicate")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.getString("partition_time_source", 0)).isEqualTo("event_time"));
        assertThat(deadLetters).filteredOn(d -> d.getString("reason", 0).equals("malformed_json")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.getString("partition_time_source", 0)).isEqualTo("ingest_time"));
        assertThat(deadLetters.stream().map(d -> d.getString("reason", 0)))
                .containsExactlyInAnyOrderElementsOf(JsonLinesOutput.read(dir.resolve("dlq")).stream()
                        .map(d -> d.get("reason").asText())
                        .toList());

        // lossless: the payload of every accepted input line is that line, byte for byte
        Map<String, String> payloadById = new HashMap<>();
        messages.forEach(m -> payloadById.put(m.getString("message_id", 0), m.getString("payload", 0)));
        for (String sampleLine : lines.subList(0, 4)) {
            String id = MAPPER.readTree(sampleLine).get("message_id").asText();
            assertThat(payloadById.get(id)).isEqualTo(sampleLine);
        }
        assertThat(leftovers(root)).as("nothing but committed part files").isEmpty();
    }

    @Test
    void writesTheSameTablesToALocalDirectory() throws Exception {
        Path input = dir.resolve("samples.jsonl");
        Files.write(input, List.of(MAPPER.writeValueAsString(MAPPER.readTree(ProtocolSamples.text(ProtocolSamples.START))),
                "not json"), StandardCharsets.UTF_8);
        Path archive = dir.resolve("archive");

        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(new Endpoint.File(input), new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")), null, false)
                        .withArchive(ArchiveLocation.parse("file:" + archive)),
                config(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(ArchiveLayout.rowsCheckingLayout(archive.resolve("messages"), "messages", "event_time"))
                .hasSize((int) summary.accepted())
                .hasSize(1);
        assertThat(ArchiveLayout.rowsCheckingLayout(
                        archive.resolve("dead_letters"), "dead_letters", ArchiveS3ITCase::deadLetterPartitionTime))
                .singleElement()
                .satisfies(letter -> assertThat(letter.getString("reason", 0)).isEqualTo("malformed_json"));
        assertThat(ArchiveFiles.hiddenFiles(archive)).as("no in-progress files left").isEmpty();
    }

    /** A dead letter's {@code event_time} where {@code partition_time_source} says so, else its ingest time. */
    private static long deadLetterPartitionTime(Group letter) {
        boolean byEventTime = letter.getString("partition_time_source", 0).equals("event_time");
        assertThat(letter.getFieldRepetitionCount("event_time")).as("event_time of %s", letter)
                .isEqualTo(byEventTime ? 1 : 0);
        return letter.getLong(byEventTime ? "event_time" : "ingest_time", 0);
    }

    private static TraceAnalyticsConfig config() {
        Map<String, String> settings = new HashMap<>(S3.archiveSettings());
        settings.put("execution.checkpointing.interval", "1s");
        // alerts throughout the run, one per breaching span, to compare the archive's alerts table with the output
        settings.put("detection.incidents.page-per-span", "true");
        return ConfigLoader.load(null, settings);
    }

    /** Objects in the bucket that are not committed part files (unfinished uploads, temporary objects). */
    private static List<Path> leftovers(Path root) throws IOException {
        List<Path> parts = ArchiveFiles.visibleParquetFiles(root);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> !parts.contains(f)).toList();
        }
    }
}
