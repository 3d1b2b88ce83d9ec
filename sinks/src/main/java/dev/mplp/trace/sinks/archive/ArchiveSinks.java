package dev.mplp.trace.sinks.archive;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.sinks.CheckpointAndSizeRollingPolicy;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/**
 * The exactly-once Parquet sink of one archive table: {@code ROOT/TABLE/dt=YYYY-MM-DD/hour=HH/part-….parquet}.
 * A part file is written while hidden ({@code .part-…inprogress…} on file systems, an unfinished multipart upload on
 * S3) and becomes visible only when the checkpoint that covers it completes; bulk formats roll on every checkpoint,
 * and here also at {@code output.max-part-size}. After a failure the job restores its last checkpoint: files it had
 * committed stay, the rest is discarded and rewritten from the replayed input, so no row is lost or doubled.
 */
public final class ArchiveSinks {

    /** Parquet buffers a row group in memory: cap it, so many open partitions cannot take the heap. */
    private static final long MAX_ROW_GROUP_BYTES = 64L * 1024 * 1024;

    private ArchiveSinks() {}

    public static <T> FileSink<T> table(ArchiveLocation root, ArchiveTable<T> table, TraceAnalyticsConfig config) {
        long maxPartBytes = config.output().maxPartSize().bytes();
        ParquetWriterFactory<T> writers = new ParquetWriterFactory<>(new TableParquetBuilder<>(
                table, config.archive().compression(), Math.min(maxPartBytes, MAX_ROW_GROUP_BYTES)));
        return FileSink.forBulkFormat(ArchiveFileSystem.tablePath(root, table), writers)
                .withBucketAssigner(new EventTimePartitions<>(table))
                .withRollingPolicy(new CheckpointAndSizeRollingPolicy<>(maxPartBytes))
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("part")
                        .withPartSuffix(".parquet")
                        .build())
                .build();
    }
}
