package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveTable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.example.data.Group;

/** Reads an archive table back (with parquet-java's reader) and checks its Hive layout and file metadata. */
final class ArchiveLayout {

    private static final Pattern PART_FILE =
            Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/(compacted-)?part-[^/]+\\.parquet");

    private ArchiveLayout() {}

    /**
     * Every row of the table, after checking that each committed file sits at
     * {@code dt=…/hour=…/part-….parquet} (or {@code compacted-part-….parquet}),
     * carries its table's name and schema version, is zstd-compressed, and holds only rows whose {@code timeColumn}
     * falls in its partition (UTC).
     */
    static List<Group> rowsCheckingLayout(Path tableDir, String table, String timeColumn) {
        return rowsCheckingLayout(tableDir, table, row -> row.getLong(timeColumn, 0));
    }

    /** {@link #rowsCheckingLayout(Path, String, String)} with the partition time of each row read by a function. */
    static List<Group> rowsCheckingLayout(Path tableDir, String table, ToLongFunction<Group> partitionTime) {
        List<Group> rows = new ArrayList<>();
        for (Path file : ArchiveFiles.visibleParquetFiles(tableDir)) {
            String relative = tableDir.relativize(file).toString();
            Matcher partition = PART_FILE.matcher(relative);
            assertThat(partition.matches()).as("layout of %s", relative).isTrue();
            assertThat(ArchiveFiles.keyValueMetadata(file))
                    .containsEntry(ArchiveTable.TABLE_KEY, table)
                    .containsKey(ArchiveTable.SCHEMA_VERSION_KEY);
            assertThat(ArchiveFiles.codecs(file)).extracting(Enum::name).containsOnly("ZSTD");
            for (Group row : ArchiveFiles.rows(file)) {
                ZonedDateTime time = Instant.ofEpochMilli(partitionTime.applyAsLong(row)).atZone(ZoneOffset.UTC);
                assertThat(time.toLocalDate().toString()).as("dt of a row in %s", relative)
                        .isEqualTo(partition.group(1));
                assertThat(time.getHour()).as("hour of a row in %s", relative)
                        .isEqualTo(Integer.parseInt(partition.group(2)));
                rows.add(row);
            }
        }
        return rows;
    }
}
