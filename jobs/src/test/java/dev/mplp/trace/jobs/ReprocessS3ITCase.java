package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.sinks.archive.ArchiveFileSystem;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.S3ProxyExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reprocess} of archives on S3 (S3Proxy, a child process on loopback, through Flink's S3 file system plugin):
 * gzip JSON lines, and the Parquet archive the streaming job wrote there, with the summary tables written back to S3.
 */
class ReprocessS3ITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension("reprocess-archive");

    private static final Instant START = Instant.parse("2025-09-03T10:00:00Z");
    private static final EventTimeRange HOUR = new EventTimeRange(START, START.plus(Duration.ofHours(1)));

    @TempDir
    Path dir;

    @Test
    void gzipJsonLinesOnS3AreReprocessedAndTheirSummariesWrittenBackToS3() throws Exception {
        String slow = "00000000000000000000000000000002";
        List<String> lines = new ArrayList<>(ConstructedSpans.span("00000000000000000000000000000001", START, 3_000));
        lines.add("{\"message_id\": \"cut");
        lines.addAll(ConstructedSpans.span(slow, START.plusSeconds(60), 12_000));
        upload("raw/traffic.jsonl.gz", gzip(String.join("\n", lines) + "\n"));

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                        ArchiveInput.parse(S3.uri("raw")), HOUR, new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")), ArchiveLocation.parse(S3.uri("summaries")),
                        false),
                config(), quiet());

        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(summary.deadLetters()).isEqualTo(Map.of(DeadLetterReason.MALFORMED_JSON, 1L));
        assertThat(JsonLinesOutput.read(dir.resolve("dlq"))).singleElement().satisfies(letter ->
                assertThat(letter.get("source_position").asText())
                        .isEqualTo(S3.uri("raw/traffic.jsonl.gz") + ":3"));
        assertThat(JsonLinesOutput.read(dir.resolve("alerts"))).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.get("trace_id").asText()).isEqualTo(slow));
        Path summaries = S3.bucketDir().resolve("summaries");
        assertThat(ArchiveFiles.tableRows(summaries.resolve("spans")))
                .extracting(span -> span.getString("trace_id", 0))
                .containsExactlyInAnyOrder("00000000000000000000000000000001", slow);
        assertThat(ArchiveFiles.tableRows(summaries.resolve("alerts")))
                .hasSize(JsonLinesOutput.read(dir.resolve("alerts")).size());
        assertThat(ArchiveFiles.tableRows(summaries.resolve("dead_letters"))).hasSize(1);
    }

    @Test
    void theStreamingJobsParquetArchiveOnS3GivesTheSameAlertsWhenReprocessed() throws Exception {
        Path traffic = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                .seed(8)
                .start(START)
                .duration(Duration.ofSeconds(20))
                .rate(3)
                .fault("cpu:catalog@+5s/10s:percent=97")
                .fault("latency:checkout/charge@+5s/10s:factor=5")
                .build()), traffic, 0);
        TraceAnalyticsConfig config = config();
        ArchiveLocation archive = ArchiveLocation.parse(S3.uri("streamed"));
        StreamJob.run(StreamJob.Options.of(new Endpoint.File(traffic), new Endpoint.File(dir.resolve("streamed")),
                new Endpoint.File(dir.resolve("streamed-dlq")), null, false).withArchive(archive), config, quiet());

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                        ArchiveInput.parse(archive.toString()), HOUR, new Endpoint.File(dir.resolve("reprocessed")),
                        null),
                config, quiet());

        List<String> streamed = alertLines(dir.resolve("streamed"));
        assertThat(streamed).isNotEmpty();
        assertThat(alertLines(dir.resolve("reprocessed"))).isEqualTo(streamed);
        assertThat(summary.read())
                .isEqualTo(ArchiveFiles.tableRows(S3.bucketDir().resolve("streamed").resolve("messages")).size());
        assertThat(summary.balanced()).isTrue();
    }

    /** Puts an object through the S3 API (S3Proxy keeps metadata that a file dropped into its directory lacks). */
    private static void upload(String key, byte[] bytes) throws IOException {
        ArchiveLocation location = ArchiveLocation.parse(S3.uri(key));
        ArchiveFileSystem.configureInThisJvm(location, config().archive(), new Configuration());
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(location.uri());
        try (OutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(bytes);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static List<String> alertLines(Path output) {
        List<String> lines = new ArrayList<>();
        for (JsonNode alert : JsonLinesOutput.read(output)) {
            lines.add(alert.toString());
        }
        lines.sort(null);
        return lines;
    }

    private static TraceAnalyticsConfig config() {
        Map<String, String> settings = new HashMap<>(S3.archiveSettings());
        settings.put("execution.checkpointing.interval", "1s");
        // the first test follows one slow span: its own breach is the page
        settings.put("detection.incidents.page-per-span", "true");
        return ConfigLoader.load(null, settings);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
