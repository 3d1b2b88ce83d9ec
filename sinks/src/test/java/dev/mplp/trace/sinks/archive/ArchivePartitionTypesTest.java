package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition columns of the archive, read by DuckDB with the declaration the README documents, have one type
 * across a day's partitions: without it DuckDB types {@code hour} as BIGINT while only {@code hour=10} exists and as
 * VARCHAR once {@code hour=09} is there.
 */
class ArchivePartitionTypesTest {

    private static final Instant NINE = Instant.parse("2025-09-03T09:15:00Z");
    private static final Instant TEN = Instant.parse("2025-09-03T10:45:00Z");
    /** The README's declaration of the partition columns for DuckDB. */
    private static final String DECLARED = "hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER}";

    @TempDir
    Path root;

    @Test
    void duckDbReadsDtAndHourWithOneTypeAcrossADaysPartitions() throws Exception {
        for (Instant time : List.of(NINE, TEN)) {
            Path partition = Files.createDirectories(root.resolve("dead_letters")
                    .resolve(EventTimePartitions.partitionOf(time.toEpochMilli())));
            TableFiles.write(partition.resolve("part-0.parquet"), DeadLettersTable.TABLE, ArchiveCompression.ZSTD,
                    List.of(new DeadLetter(DeadLetterReason.MALFORMED_JSON, "broken", null, "file:/x:1",
                            time.toEpochMilli(), "{", 1, false)));
        }
        String table = "read_parquet('" + root.resolve("dead_letters") + "/*/*/*.parquet', " + DECLARED + ")";

        Map<String, List<Object>> typesAndHours = new TreeMap<>();
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:");
                Statement query = duckDb.createStatement();
                ResultSet rows = query.executeQuery("SELECT typeof(dt) || ' ' || typeof(hour) AS types, dt, hour FROM "
                        + table + " ORDER BY hour")) {
            while (rows.next()) {
                typesAndHours.computeIfAbsent(rows.getString("types"), types -> new ArrayList<>())
                        .add(rows.getString("dt") + " " + rows.getInt("hour"));
            }
        }

        assertThat(typesAndHours).containsOnlyKeys("DATE INTEGER");
        assertThat(typesAndHours.get("DATE INTEGER")).containsExactly("2025-09-03 9", "2025-09-03 10");
    }
}
