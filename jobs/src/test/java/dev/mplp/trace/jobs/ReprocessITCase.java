package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.jobs.sources.ArchivedFile;
import dev.mplp.trace.jobs.sources.ReprocessInputs;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprocess}: the streaming pipeline in batch mode over an archive, and the backtest of a rule change. */
class ReprocessITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    /** Pages per span (detection.incidents.page-per-span): these tests follow a few single spans' incidents. */
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of(
            "execution.checkpointing.interval", "1s", "detection.incidents.page-per-span", "true"));
    private static final Instant TRAFFIC_START = Instant.parse("2025-09-03T10:00:00Z");
    private static final EventTimeRange ALL_OF_IT =
            new EventTimeRange(TRAFFIC_START.minus(Duration.ofHours(1)), TRAFFIC_START.plus(Duration.ofHours(1)));

    /**
     * Generated traffic across an hour boundary, 10:59:15 to 11:00:45, and what the streaming job made of it: its
     * JSON alerts and its Parquet archive (partitions hour=10 and hour=11), shared by the tests, which only read them.
     */
    private static final Instant ARCHIVED_START = Instant.parse("2025-09-03T10:59:15Z");
    private static final EventTimeRange ARCHIVED_HOURS =
            new EventTimeRange(Instant.parse("2025-09-03T10:00:00Z"), Instant.parse("2025-09-03T12:00:00Z"));

    @TempDir
    static Path shared;

    private static Path archive;
    private static Path streamedAlerts;

    @TempDir
    Path dir;

    @BeforeAll
    static void streamGeneratedTrafficIntoAnArchive() throws Exception {
        Path traffic = shared.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                .seed(21)
                .start(ARCHIVED_START)
                .duration(Duration.ofSeconds(90))
                .rate(4)
                .fault("latency:checkout/charge@+20s/30s:factor=5")
                .fault("cpu:catalog@+30s/30s:percent=97")
                .fault("errors:inventory@+10s/40s:fraction=0.5")
                .build()), traffic, 0);
        archive = shared.resolve("archive");
        streamedAlerts = shared.resolve("streamed");
        StreamJob.run(StreamJob.Options.of(new Endpoint.File(traffic), new Endpoint.File(streamedAlerts),
                new Endpoint.File(shared.resolve("dlq")), null, false)
                .withArchive(ArchiveLocation.parse("file:" + archive)),
                CONFIG, quiet());
    }

    @Test
    void reprocessingTheStreamingJobsArchiveGivesTheSameAlertsAndSummaryRows() throws Exception {
        Path output = dir.resolve("output-archive");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                        ArchiveInput.parse("file:" + archive), ARCHIVED_HOURS, new Endpoint.File(dir.resolve("alerts")),
                        null, ArchiveLocation.parse("file:" + output), false),
                CONFIG, new PrintStream(console, true, StandardCharsets.UTF_8));

        List<String> expectedAlerts = sortedLines(streamedAlerts);
        assertThat(expectedAlerts).hasSizeGreaterThan(20);
        assertThat(sortedLines(dir.resolve("alerts"))).isEqualTo(expectedAlerts);
        for (String table : List.of("spans", "service_windows", "alerts")) {
            List<String> streamed = sortedRows(archive.resolve(table));
            assertThat(streamed).as("the streaming job's %s", table).isNotEmpty();
            assertThat(sortedRows(output.resolve(table))).as("reprocessed %s", table).isEqualTo(streamed);
        }
        assertThat(output.resolve("messages")).as("no messages table in the output").doesNotExist();
        int archivedMessages = ArchiveFiles.tableRows(archive.resolve("messages")).size();
        assertThat(summary.read()).isEqualTo(archivedMessages);
        assertThat(summary.accepted()).isEqualTo(archivedMessages);
        assertThat(summary.balanced()).isTrue();
        assertThat(summary.outOfRange()).isZero();
        int files = ArchiveFiles.visibleParquetFiles(archive.resolve("messages")).size();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(String.format(
                "done: partitions 2/2 · files %,d/%,d · records %,d/%,d · ", files, files, archivedMessages,
                archivedMessages));
    }

    @Test
    void onlyThePartitionsOfTheRequestedHoursAreListedAndRead() throws Exception {
        // a copy of the archive whose 10:00 hour cannot be read: reprocessing 11:00-12:00 must never open it
        Path copy = dir.resolve("copy");
        copyTree(archive, copy);
        Path tenOClock = copy.resolve("messages").resolve("dt=2025-09-03").resolve("hour=10");
        List<Path> unreadable = ArchiveFiles.visibleParquetFiles(tenOClock);
        assertThat(unreadable).as("the archive has messages in the hour left out").isNotEmpty();
        for (Path file : unreadable) {
            Files.writeString(file, "not Parquet");
        }
        List<Path> elevenOClock =
                ArchiveFiles.visibleParquetFiles(copy.resolve("messages").resolve("dt=2025-09-03").resolve("hour=11"));
        int rowsAtEleven = elevenOClock.stream().mapToInt(file -> ArchiveFiles.rows(file).size()).sum();
        EventTimeRange eleven = new EventTimeRange(
                Instant.parse("2025-09-03T11:00:00Z"), Instant.parse("2025-09-03T12:00:00Z"));

        assertThat(ReprocessInputs.plan(ArchiveInput.parse("file:" + copy), eleven, CONFIG).files())
                .extracting(file -> Path.of(URI.create(file.path())), ArchivedFile::partition)
                .containsExactlyInAnyOrderElementsOf(
                        elevenOClock.stream().map(file -> tuple(file, "dt=2025-09-03/hour=11")).toList());
        Path output = dir.resolve("eleven");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                        ArchiveInput.parse("file:" + copy), eleven, null, null,
                        ArchiveLocation.parse("file:" + output), false),
                CONFIG, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(summary.read()).isEqualTo(rowsAtEleven);
        assertThat(summary.accepted()).isEqualTo(rowsAtEleven);
        assertThat(summary.outOfRange()).isZero();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(String.format(
                "done: partitions 1/1 · files %,d/%,d · records %,d/%,d · ", elevenOClock.size(), elevenOClock.size(),
                rowsAtEleven, rowsAtEleven));
        List<Group> spans = ArchiveFiles.tableRows(output.resolve("spans"));
        assertThat(spans).isNotEmpty();
        assertThat(spans).allSatisfy(span -> assertThat(Instant.ofEpochMilli(span.getLong("end_time", 0)))
                .isBetween(eleven.from(), eleven.to().minusMillis(1)));
    }

    @Test
    void aRangeWithoutPartitionsInTheArchiveIsRefusedWithTheHoursLookedFor() {
        EventTimeRange later = new EventTimeRange(
                Instant.parse("2025-09-03T14:00:00Z"), Instant.parse("2025-09-03T16:00:00Z"));

        assertThatThrownBy(() -> ReprocessInputs.plan(ArchiveInput.parse("file:" + archive), later, CONFIG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a Parquet archive, but no messages/ partition intersects")
                .hasMessageContaining("dt=2025-09-03/hour=14 to dt=2025-09-03/hour=15");
    }

    @Test
    void messagesOutsideTheRangeAreCountedAndLeftOut() throws Exception {
        Path archive = writeLines("spans.jsonl", List.of(
                ConstructedSpans.span("00000000000000000000000000000001", TRAFFIC_START, 12_000),
                ConstructedSpans.span(
                        "00000000000000000000000000000002", TRAFFIC_START.plus(Duration.ofMinutes(30)), 12_000)));

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                new Endpoint.File(archive),
                new EventTimeRange(TRAFFIC_START.plus(Duration.ofMinutes(20)), TRAFFIC_START.plus(Duration.ofHours(1))),
                new Endpoint.File(dir.resolve("alerts")),
                null), CONFIG, quiet());

        assertThat(summary.read()).isEqualTo(4);
        assertThat(summary.outOfRange()).isEqualTo(2);
        assertThat(summary.accepted()).isEqualTo(2);
        assertThat(summary.balanced()).isTrue();
        assertThat(Backtest.readAlerts(dir.resolve("alerts")))
                .extracting(a -> a.get("trace_id").asText())
                .containsOnly("00000000000000000000000000000002");
    }

    @Test
    void aLoweredDurationThresholdShowsExactlyTheExtraIncidentsInTheBacktest() throws Exception {
        // spans that declare no limits of their own, so the configured defaults apply
        List<List<String>> spans = new ArrayList<>();
        long[] durations = {3_000, 6_000, 9_000, 12_000};
        for (int i = 0; i < durations.length; i++) {
            spans.add(ConstructedSpans.span(
                    String.format("%032x", i + 1), TRAFFIC_START.plusSeconds(60L * i), durations[i]));
        }
        Path archive = writeLines("constructed.jsonl", spans);
        Path proposal = dir.resolve("proposal.yaml");
        Files.writeString(proposal, "detection:\n  thresholds:\n    defaults:\n      duration-ms: 5000\n");
        TraceAnalyticsConfig proposed = ConfigLoader.loadLayers(
                List.of(proposal), Map.of("detection.incidents.page-per-span", "true"));

        BacktestDiff diff = Backtest.run(
                ArchiveInput.of(new Endpoint.File(archive)), ALL_OF_IT, CONFIG, proposed, dir.resolve("backtest"), quiet());

        // the 12 s span also outlives the incomplete-span timeout, twice its (now lower) duration limit
        assertThat(diff.countsByRule()).isEqualTo(Map.of(
                "pattern.incomplete_span", new BacktestDiff.RuleCounts(0, 1, 0),
                "threshold.duration_ms", new BacktestDiff.RuleCounts(0, 2, 1)));
        assertThat(diff.entries())
                .filteredOn(e -> e.any().rule().equals("threshold.duration_ms"))
                .extracting(e -> e.side(), e -> e.any().triggered().get("trace_id").asText())
                .containsExactly(
                        tuple(BacktestDiff.Side.ONLY_PROPOSED, String.format("%032x", 2)),
                        tuple(BacktestDiff.Side.ONLY_PROPOSED, String.format("%032x", 3)),
                        tuple(BacktestDiff.Side.BOTH, String.format("%032x", 4)));
        assertThat(Files.readAllLines(dir.resolve("backtest").resolve("diff.jsonl"))).hasSize(4);
    }

    private Path writeLines(String name, List<List<String>> spans) throws IOException {
        Path file = dir.resolve(name);
        List<String> lines = new ArrayList<>();
        spans.forEach(lines::addAll);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Every row of an archive table, as text, sorted. */
    private static List<String> sortedRows(Path table) {
        List<String> rows = new ArrayList<>();
        ArchiveFiles.tableRows(table).forEach(row -> rows.add(row.toString()));
        rows.sort(null);
        return rows;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static List<String> sortedLines(Path output) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode alert : Backtest.readAlerts(output)) {
            lines.add(alert.toString());
        }
        lines.sort(null);
        return lines;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
