package dev.mplp.trace.sinks.archive;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.sinks.CheckpointAndSizeRollingPolicy;
import java.time.Duration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/**
 * The exactly-once Parquet sink of one archive table: {@code ROOT/TABLE/dt=YYYY-MM-DD/hour=HH/part-….parquet}.
 * A part file is written while hidden ({@code .part-…inprogress…} on file systems, an unfinished multipart upload on
 * S3) and becomes visible only when the checkpoint that covers it completes; bulk formats roll on every checkpoint,
 * and here also at {@code output.max-part-size}. After a failure the job restores its last checkpoint: files it had
 * committed stay, the rest is discarded and rewritten from the replayed input, so no row is lost or doubled.
 *
 * <p>With {@code archive.compaction} on (the default), Flink's compaction sits between the writers and the
 * committer: the part files of a partition stay hidden until their row groups are copied, byte for byte, into one
 * {@code compacted-part-….parquet} (their rows rewritten if the row groups are small or the files of mixed schema
 * versions; see {@link #compactStrategy} and {@link ArchiveCompactor}); the compacted file is committed like a part
 * file and the hidden ones deleted after it, all on checkpoints, so exactly-once holds as above.
 */
public final class ArchiveSinks {

    /** Parquet buffers a row group in memory: cap it, so many open partitions cannot take the heap. */
    private static final long MAX_ROW_GROUP_BYTES = 64L * 1024 * 1024;

    /**
     * Part files whose row groups are smaller on average are compacted by rewriting their rows into full row groups
     * rather than copying them. Parquet's page size: a smaller row group is about one page in all, which readers pay
     * for as for a full one (a footer entry, a read per column chunk), and rewriting so little costs little.
     */
    static final long MIN_COPIED_ROW_GROUP_BYTES = 1024 * 1024;

    private ArchiveSinks() {}

    /**
     * @param checkpointInterval the job's checkpoint interval, which turns {@code archive.compaction.interval} into a
     *     number of checkpoints; null when the job does not checkpoint (its partitions are compacted by size and at
     *     the end of the input only)
     */
    public static <T> FileSink<T> table(ArchiveLocation root, ArchiveTable<T> table, TraceAnalyticsConfig config,
            Duration checkpointInterval) {
        long maxPartBytes = config.output().maxPartSize().bytes();
        TableParquetBuilder<T> parquet = new TableParquetBuilder<>(
                table, config.archive().compression(), Math.min(maxPartBytes, MAX_ROW_GROUP_BYTES));
        DeferredWriterFactory<T> writers = new DeferredWriterFactory<>(new ParquetWriterFactory<>(parquet));
        FileSink.DefaultBulkFormatBuilder<T> sink = FileSink.forBulkFormat(ArchiveFileSystem.tablePath(root, table),
                        writers)
                .withBucketAssigner(new EventTimePartitions<>(table))
                .withRollingPolicy(new CheckpointAndSizeRollingPolicy<>(maxPartBytes))
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("part")
                        .withPartSuffix(".parquet")
                        .build());
        TraceAnalyticsConfig.ArchiveCompaction compaction = config.archive().compaction();
        if (compaction.enabled()) {
            sink.enableCompact(compactStrategy(compaction.interval(), maxPartBytes, checkpointInterval),
                    new ArchiveCompactor<>(table, parquet, MIN_COPIED_ROW_GROUP_BYTES));
        } else {
            // Flink's way to turn compaction off: a job restored from a checkpoint taken with compaction on then
            // commits the part files that were waiting to be compacted instead of failing on their state
            sink.disableCompact();
        }
        return sink.build();
    }

    /**
     * When a partition's part files are compacted: once they add up to {@code maxPartBytes}, and after as many
     * checkpoints as fit in {@code interval} (at least one), counted from the first checkpoint after the partition's
     * first file.
     */
    static FileCompactStrategy compactStrategy(Duration interval, long maxPartBytes, Duration checkpointInterval) {
        FileCompactStrategy.Builder strategy = FileCompactStrategy.Builder.newBuilder().setSizeThreshold(maxPartBytes);
        if (checkpointInterval != null && !checkpointInterval.isNegative() && !checkpointInterval.isZero()) {
            strategy.enableCompactionOnCheckpoint(checkpointsIn(interval, checkpointInterval));
        }
        return strategy.build();
    }

    /** How many checkpoints {@code interval} spans, at least one. */
    static int checkpointsIn(Duration interval, Duration checkpointInterval) {
        long checkpoints = interval.toMillis() / checkpointInterval.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, checkpoints));
    }
}
