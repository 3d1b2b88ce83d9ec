package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Thresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's record-wise compactor with the archive's reader and writer, as the sink runs it: the compacted file holds
 * every row of the part files, column for column (nulls, empty and null list elements included), and the table's
 * metadata.
 */
class CompactionReaderTest {

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

    private <T> void assertCompactionKeepsEveryRow(ArchiveTable<T> table, List<T> first, List<T> second)
            throws Exception {
        Path one = TableFiles.write(dir.resolve(".part-1.parquet"), table, ArchiveCompression.ZSTD, first);
        Path two = TableFiles.write(dir.resolve(".part-2.parquet"), table, ArchiveCompression.ZSTD, second);
        Path compacted = dir.resolve("compacted-part-1.parquet");

        ParquetWriterFactory<T> writers =
                new ParquetWriterFactory<>(new TableParquetBuilder<>(table, ArchiveCompression.ZSTD, 1024 * 1024));
        org.apache.flink.core.fs.Path target = new org.apache.flink.core.fs.Path(compacted.toUri());
        try (FSDataOutputStream out = target.getFileSystem().create(target, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<T> writer = writers.create(out);
            new RecordWiseFileCompactor<>(CompactionReader.factory(table))
                    .compact(List.of(flinkPath(one), flinkPath(two)), writer::addElement);
            writer.finish();
        }

        List<String> expected = new ArrayList<>();
        ArchiveFiles.rows(one).forEach(row -> expected.add(row.toString()));
        ArchiveFiles.rows(two).forEach(row -> expected.add(row.toString()));
        assertThat(expected).hasSize(first.size() + second.size());
        assertThat(ArchiveFiles.rows(compacted)).extracting(Group::toString).containsExactlyElementsOf(expected);
        assertThat(ArchiveFiles.keyValueMetadata(compacted)).isEqualTo(ArchiveFiles.keyValueMetadata(one));
        assertThat(ArchiveFiles.footer(compacted).getFileMetaData().getSchema())
                .isEqualTo(table.parquetSchema());
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path file) {
        return new org.apache.flink.core.fs.Path(file.toUri());
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
