package dev.mplp.trace.sinks.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Places each row in the Hive-style partition of its event time, UTC: {@code dt=YYYY-MM-DD/hour=HH}, so that Spark,
 * Trino and DuckDB read {@code dt} and {@code hour} as columns and prune by them. Event time, not processing time:
 * a replay of old data lands in the same partitions as the live run did.
 */
public final class EventTimePartitions<T> implements BucketAssigner<T, String> {

    private static final long serialVersionUID = 1L;

    /** {@code uuuu}, the proleptic year: {@code yyyy} is the year of era, which gives 1 BC (year 0) as 0001. */
    private static final DateTimeFormatter PARTITION =
            DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    private final ArchiveTable<T> table;

    public EventTimePartitions(ArchiveTable<T> table) {
        this.table = table;
    }

    /** The partition path of an event time, epoch milliseconds. */
    public static String partitionOf(long epochMillis) {
        return PARTITION.format(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public String getBucketId(T element, Context context) {
        return partitionOf(table.partitionTime(element));
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
