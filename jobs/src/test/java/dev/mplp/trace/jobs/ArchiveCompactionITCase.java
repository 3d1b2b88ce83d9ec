package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's compaction (issue 20): the same input through the streaming job with compaction off and at its
 * default; with short checkpoints the uncompacted archive has many part files per partition, the compacted one a
 * single {@code compacted-part-….parquet} per table and partition, and both hold the same rows, column for column
 * (but the wall-clock {@code ingest_time}).
 */
class ArchiveCompactionITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final List<String> TABLES = List.of("messages", "dead_letters", "spans", "service_windows", "alerts");

    @TempDir
    Path dir;

    @Test
    void aCompactedArchiveHasOneFilePerTableAndHourAndTheRowsOfAnUncompactedOne() throws Exception {
        Path input = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                        .seed(31)
                        .duration(Duration.ofSeconds(40))
                        .rate(3)
                        .fault("cpu:catalog@+5s/15s:percent=97")
                        .fault("malformed:*:fraction=0.05")
                        .fault("duplicate:*:fraction=0.05")
                        .build()), input, 0);

        Path uncompacted = run(input, "uncompacted", "0s");
        Path compacted = run(input, "compacted", ConfigLoader.defaults().archive().compaction().interval().toSeconds()
                + "s");

        for (String table : TABLES) {
            Map<String, List<Path>> plainFiles = filesByPartition(uncompacted.resolve(table));
            Map<String, List<Path>> compactedFiles = filesByPartition(compacted.resolve(table));
            assertThat(compactedFiles.keySet()).as("partitions of %s", table)
                    .isNotEmpty()
                    .isEqualTo(plainFiles.keySet());
            compactedFiles.forEach((partition, files) -> assertThat(files)
                    .as("files of %s/%s", table, partition)
                    .singleElement()
                    .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("compacted-part-")));
            assertThat(rows(compacted.resolve(table))).as("rows of %s", table)
                    .containsExactlyInAnyOrderElementsOf(rows(uncompacted.resolve(table)));
            assertThat(ArchiveFiles.hiddenFiles(compacted.resolve(table))).as("files left hidden in %s", table)
                    .isEmpty();
        }
        assertThat(filesByPartition(uncompacted.resolve("messages")).values())
                .as("without compaction each writing subtask commits its own files (and one more per checkpoint the run"
                        + " lasts, which a fast machine may finish within)")
                .anySatisfy(files -> assertThat(files).hasSizeGreaterThan(1));
    }

    private Path run(Path input, String name, String compactionInterval) throws Exception {
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "200ms",
                "execution.checkpointing.min-pause", "50ms",
                "archive.compaction.interval", compactionInterval));
        Path archive = dir.resolve(name);
        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(new Endpoint.File(input), new Endpoint.File(dir.resolve(name + "-alerts")),
                                new Endpoint.File(dir.resolve(name + "-dlq")), null, false)
                        .withArchive(ArchiveLocation.parse("file:" + archive)),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(summary.balanced()).isTrue();
        return archive;
    }

    /** The visible files of a table by partition ({@code dt=…/hour=…}). */
    private static Map<String, List<Path>> filesByPartition(Path tableDir) {
        return ArchiveFiles.visibleParquetFiles(tableDir).stream().collect(Collectors.groupingBy(
                file -> tableDir.relativize(file.getParent()).toString(), TreeMap::new, Collectors.toList()));
    }

    /** Each row as text with its partition, every column but the wall-clock ingest time. */
    private static List<String> rows(Path tableDir) {
        return ArchiveFiles.visibleParquetFiles(tableDir).stream()
                .flatMap(file -> ArchiveFiles.rows(file).stream()
                        .map(row -> tableDir.relativize(file.getParent()) + " " + withoutIngestTime(row)))
                .toList();
    }

    private static String withoutIngestTime(Group row) {
        StringBuilder text = new StringBuilder();
        List<Type> fields = row.getType().getFields();
        for (int index = 0; index < fields.size(); index++) {
            String field = fields.get(index).getName();
            if (!field.equals("ingest_time") && row.getFieldRepetitionCount(index) > 0) {
                text.append(field).append('=').append(row.getValueToString(index, 0)).append(';');
            }
        }
        return text.toString();
    }
}
