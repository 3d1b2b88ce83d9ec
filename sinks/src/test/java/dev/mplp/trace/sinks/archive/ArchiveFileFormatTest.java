package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every archive file carries besides its rows: table name, schema version, codec; and what it refuses. */
class ArchiveFileFormatTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ArchiveCompression.class)
    void marksItsTableAndSchemaVersionAndUsesTheConfiguredCodec(ArchiveCompression compression) throws Exception {
        Path file = TableFiles.write(dir.resolve(compression + ".parquet"), DeadLettersTable.TABLE, compression,
                List.of(letter()));

        assertThat(ArchiveFiles.keyValueMetadata(file))
                .containsEntry(ArchiveTable.TABLE_KEY, "dead_letters")
                .containsEntry(ArchiveTable.SCHEMA_VERSION_KEY, "2");
        assertThat(ArchiveFiles.codecs(file)).containsExactly(CompressionCodecName.valueOf(compression.name()));
        assertThat(ArchiveFiles.rows(file)).hasSize(1);
    }

    @Test
    void aRequiredColumnWithoutAValueIsAnErrorNamingIt() {
        DeadLetter noReason = letter();
        noReason.reason = null;

        assertThatThrownBy(() -> TableFiles.write(
                        dir.resolve("bad.parquet"), DeadLettersTable.TABLE, ArchiveCompression.ZSTD, List.of(noReason)))
                .hasMessageContaining("reason");
    }

    @Test
    void partitionsByUtcDateAndHour() {
        long lastMillisOfDay = Instant.parse("2026-11-25T23:59:59.999Z").toEpochMilli();

        assertThat(EventTimePartitions.partitionOf(lastMillisOfDay)).isEqualTo("dt=2026-11-25/hour=23");
        assertThat(EventTimePartitions.partitionOf(lastMillisOfDay + 1)).isEqualTo("dt=2026-11-26/hour=00");
        assertThat(EventTimePartitions.partitionOf(Instant.parse("2026-11-26T07:30:00+02:00").toEpochMilli()))
                .isEqualTo("dt=2026-11-26/hour=05");
    }

    @Test
    void yearsUpToZeroArePartitionedByTheirProlepticYear() {
        // the protocol's times accept year 0000 and the parser years before it: not the year of era (0001 BC)
        assertThat(EventTimePartitions.partitionOf(Instant.parse("0000-06-01T10:00:00Z").toEpochMilli()))
                .isEqualTo("dt=0000-06-01/hour=10");
        assertThat(EventTimePartitions.partitionOf(Instant.parse("-0001-12-31T23:00:00Z").toEpochMilli()))
                .isEqualTo("dt=-0001-12-31/hour=23");
        assertThat(EventTimePartitions.partitionOf(Instant.parse("0001-01-01T00:00:00Z").toEpochMilli()))
                .isEqualTo("dt=0001-01-01/hour=00");
    }

    private static DeadLetter letter() {
        return new DeadLetter(DeadLetterReason.OVERSIZE, "too big", null, "file:/x:1", 1L, "{", 1, false);
    }
}
