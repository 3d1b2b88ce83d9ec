package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.Thresholds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's compactor as Flink's compaction runs it: part files written by the table's writer, among them an empty
 * one, become one file with every row in order, column for column (nulls, empty and null list elements included),
 * and the table's metadata: by copying their row groups, or by rewriting their rows when the row groups are small or
 * the part files of mixed schema versions.
 */
class ArchiveCompactorTest {

    private static final long T0 = 1_764_064_800_000L;

    @TempDir
    Path dir;

    @Test
    void compactsAlertsWithEveryKindOfListValue() throws Exception {
        Alert full = alert("a1", AlertState.TRIGGERED);
        full.thresholdValue = 80.0;
        full.actualValue = 97.5;
        full.recommendedActions = new String[] {"scale out", null, "check hot loops"};
        Alert emptyList = alert("a1", AlertState.RESOLVED);
        emptyList.recommendedActions = new String[0];
        Alert bare = alert("a2", AlertState.TRIGGERED);

        assertCompactionKeepsEveryRow(AlertsTable.TABLE, List.of(full, emptyList), List.of(bare));
    }

    @Test
    void compactsSpansWithEveryNumericKind() throws Exception {
        CompletedSpan limited = span("00f067aa0ba902b7", 3);
        limited.success = true;
        limited.thresholds = new Thresholds();
        limited.thresholds.durationMs = 500.0;
        CompletedSpan unlimited = span("00f067aa0ba902b8", 1);
        unlimited.error = true;
        unlimited.errorCount = 2;

        assertCompactionKeepsEveryRow(SpansTable.TABLE, List.of(limited), List.of(unlimited, span("00f067aa0ba902b9", 2)));
    }

    @Test
    void partFilesOfAnEarlierSchemaVersionNextToCurrentOnesAreRewrittenIntoTheCurrentSchemaByColumnName()
            throws Exception {
        ArchiveTable<Alert> version1 = earlierVersion(AlertsTable.TABLE,
                "breaching_spans", "span_count", "breach_share", "exemplar_trace_ids", "exemplar_span_ids");
        Alert old = alert("a1", AlertState.TRIGGERED);
        old.recommendedActions = new String[] {"scale out", null};
        Alert current = alert("a1", AlertState.RESOLVED);
        current.breachingSpans = 7L;
        current.spanCount = 10L;
        current.breachShare = 0.7;
        Path before = TableFiles.write(dir.resolve(".part-1.parquet"), version1, ArchiveCompression.ZSTD, List.of(old));
        Path after = TableFiles.write(dir.resolve(".part-2.parquet"), AlertsTable.TABLE, ArchiveCompression.ZSTD,
                List.of(current));

        Path compacted = compact(AlertsTable.TABLE, List.of(before, after), "compacted-part-1.parquet", 0);

        // the old row has no value in the columns version 2 added: it reads as it did, plus nulls
        assertThat(ArchiveFiles.rows(compacted)).extracting(Group::toString)
                .containsExactlyElementsOf(rowsOf(before, after));
        assertThat(ArchiveFiles.rows(compacted).get(0).getFieldRepetitionCount("breaching_spans")).isZero();
        assertThat(ArchiveFiles.footer(compacted).getFileMetaData().getSchema())
                .isEqualTo(AlertsTable.TABLE.parquetSchema());
        assertThat(ArchiveFiles.keyValueMetadata(compacted)).isEqualTo(ArchiveFiles.keyValueMetadata(after));
    }

    @Test
    void partFilesAllOfOneEarlierSchemaVersionAreCopiedAsTheyAre() throws Exception {
        ArchiveTable<Alert> version1 = earlierVersion(AlertsTable.TABLE, "exemplar_trace_ids", "exemplar_span_ids");
        Path one = TableFiles.write(dir.resolve(".part-1.parquet"), version1, ArchiveCompression.ZSTD,
                List.of(alert("a1", AlertState.TRIGGERED)));
        Path two = TableFiles.write(dir.resolve(".part-2.parquet"), version1, ArchiveCompression.ZSTD,
                List.of(alert("a1", AlertState.RESOLVED)));

        Path compacted = compact(AlertsTable.TABLE, List.of(one, two), "compacted-part-1.parquet", Long.MAX_VALUE);

        assertThat(ArchiveFiles.rows(compacted)).extracting(Group::toString).containsExactlyElementsOf(rowsOf(one, two));
        assertThat(ArchiveFiles.footer(compacted).getFileMetaData().getSchema()).isEqualTo(version1.parquetSchema());
        assertThat(ArchiveFiles.keyValueMetadata(compacted)).containsEntry(ArchiveTable.SCHEMA_VERSION_KEY, "1");
        assertThat(ArchiveFiles.footer(compacted).getBlocks()).hasSize(2);
    }

    @Test
    void aPartFileWithoutAColumnTheCurrentVersionRequiresIsAnErrorNamingItAndTheWayOut() throws Exception {
        ArchiveTable<DeadLetter> version1 = earlierVersion(DeadLettersTable.TABLE, "event_time", "partition_time_source");
        DeadLetter letter = new DeadLetter(DeadLetterReason.OVERSIZE, "too big", null, "file:/x:1", T0, "{", 1, false);
        Path before = TableFiles.write(dir.resolve(".part-1.parquet"), version1, ArchiveCompression.ZSTD,
                List.of(letter));
        Path after = TableFiles.write(dir.resolve(".part-2.parquet"), DeadLettersTable.TABLE, ArchiveCompression.ZSTD,
                List.of(letter));

        assertThatThrownBy(() -> compact(DeadLettersTable.TABLE, List.of(before, after), "compacted-part-1.parquet", 0))
                .hasMessageContaining(".part-1.parquet")
                .hasMessageContaining("no column partition_time_source")
                .hasMessageContaining("archive.compaction.interval: 0");
    }

    private <T> void assertCompactionKeepsEveryRow(ArchiveTable<T> table, List<T> first, List<T> second)
            throws Exception {
        Path one = TableFiles.write(dir.resolve(".part-1.parquet"), table, ArchiveCompression.ZSTD, first);
        Path empty = TableFiles.write(dir.resolve(".part-2.parquet"), table, ArchiveCompression.ZSTD, List.of());
        Path two = TableFiles.write(dir.resolve(".part-3.parquet"), table, ArchiveCompression.ZSTD, second);
        List<Path> parts = List.of(one, empty, two);
        List<String> expected = rowsOf(one, empty, two);
        assertThat(expected).hasSize(first.size() + second.size());

        Path copied = compact(table, parts, "compacted-part-1.parquet", 0);
        assertThat(ArchiveFiles.rows(copied)).extracting(Group::toString).containsExactlyElementsOf(expected);
        assertThat(ArchiveFiles.keyValueMetadata(copied)).isEqualTo(ArchiveFiles.keyValueMetadata(one));
        assertThat(ArchiveFiles.footer(copied).getFileMetaData().getSchema()).isEqualTo(table.parquetSchema());
        // copied, not rewritten: the part files' row groups, each column with its page indexes, moved along
        assertThat(ArchiveFiles.footer(copied).getBlocks()).extracting(BlockMetaData::getRowCount)
                .containsExactly((long) first.size(), (long) second.size());
        assertThat(columnBytes(copied)).isEqualTo(columnBytes(one) + columnBytes(two));
        assertThat(pageIndexes(copied)).isNotEmpty().containsExactlyElementsOf(pageIndexes(one, two));

        // the sink's part files are as small as these: their rows are rewritten into one row group
        Path rewritten = compact(table, parts, "compacted-part-2.parquet", ArchiveSinks.MIN_COPIED_ROW_GROUP_BYTES);
        assertThat(ArchiveFiles.rows(rewritten)).extracting(Group::toString).containsExactlyElementsOf(expected);
        assertThat(ArchiveFiles.keyValueMetadata(rewritten)).isEqualTo(ArchiveFiles.keyValueMetadata(one));
        assertThat(ArchiveFiles.footer(rewritten).getFileMetaData().getSchema()).isEqualTo(table.parquetSchema());
        assertThat(ArchiveFiles.footer(rewritten).getBlocks()).hasSize(1);
    }

    /**
     * Compacts part files the way Flink's compaction does: it opens the compacted file through the sink's writers,
     * hands its stream to the compactor, then finishes the writer.
     */
    private <T> Path compact(ArchiveTable<T> table, List<Path> parts, String name, long minCopiedRowGroupBytes)
            throws Exception {
        Path compacted = dir.resolve(name);
        org.apache.flink.core.fs.Path target = new org.apache.flink.core.fs.Path(compacted.toUri());
        try (FSDataOutputStream out = target.getFileSystem().create(target, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<T> writer = new DeferredWriterFactory<>(new ParquetWriterFactory<>(parquet(table))).create(out);
            new ArchiveCompactor<>(table, parquet(table), minCopiedRowGroupBytes).compact(flinkPaths(parts), out);
            writer.flush();
            writer.finish();
        }
        return compacted;
    }

    private static <T> TableParquetBuilder<T> parquet(ArchiveTable<T> table) {
        return new TableParquetBuilder<>(table, ArchiveCompression.ZSTD, 1024 * 1024);
    }

    private static List<org.apache.flink.core.fs.Path> flinkPaths(List<Path> files) {
        return files.stream().map(file -> new org.apache.flink.core.fs.Path(file.toUri())).toList();
    }

    private static List<String> rowsOf(Path... files) {
        List<String> rows = new ArrayList<>();
        Arrays.stream(files).forEach(file -> ArchiveFiles.rows(file).forEach(row -> rows.add(row.toString())));
        return rows;
    }

    /** The bytes of a file's column chunks: what compaction copies. */
    private static long columnBytes(Path file) {
        return ArchiveFiles.footer(file).getBlocks().stream()
                .flatMap(block -> block.getColumns().stream())
                .mapToLong(ColumnChunkMetaData::getTotalSize)
                .sum();
    }

    /**
     * Each column chunk's column index (page statistics), and whether its offset index finds the chunk's first data
     * page where the chunk's metadata has it.
     */
    private static List<String> pageIndexes(Path... files) throws IOException {
        List<String> indexes = new ArrayList<>();
        for (Path file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                for (BlockMetaData rowGroup : reader.getRowGroups()) {
                    for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
                        OffsetIndex pages = reader.readOffsetIndex(chunk);
                        indexes.add(chunk.getPath() + ": " + reader.readColumnIndex(chunk) + "; offset index right: "
                                + (pages.getOffset(0) == chunk.getFirstDataPageOffset()));
                    }
                }
            }
        }
        return indexes;
    }

    /** A table as its previous schema version wrote it: without the columns named (added since). */
    private static <T> ArchiveTable<T> earlierVersion(ArchiveTable<T> table, String... addedSince) {
        ArchiveTable.Builder<T> earlier = ArchiveTable.builder(table.name(), table.schemaVersion() - 1, table::partitionTime);
        for (Column<T> column : table.columns()) {
            if (List.of(addedSince).contains(column.name())) {
                continue;
            }
            if (column.required()) {
                earlier.required(column.name(), column.kind(), column.getter());
            } else {
                earlier.optional(column.name(), column.kind(), column.getter());
            }
        }
        return earlier.build();
    }

    private static Alert alert(String id, AlertState state) {
        Alert alert = new Alert();
        alert.alertId = id;
        alert.alertType = "threshold_breach";
        alert.evaluationResult = state;
        alert.serviceName = "catalog";
        alert.evaluationTimestamp = T0 + 5_000;
        alert.startedAt = T0;
        return alert;
    }

    private static CompletedSpan span(String spanId, int messages) {
        CompletedSpan span = new CompletedSpan();
        span.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        span.spanId = spanId;
        span.serviceName = "checkout";
        span.operationName = "charge";
        span.startTime = T0;
        span.endTime = T0 + 250;
        span.durationMs = 250.5;
        span.messageCount = messages;
        return span;
    }
}
