package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.sinks.archive.EventTimePartitions;
import dev.mplp.trace.sinks.archive.MessagesTable;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Lists the {@code messages/} files of a Parquet archive that can hold event times of a range, by the Hive layout
 * {@code dt=YYYY-MM-DD/hour=HH} (UTC) the streaming job writes: it lists {@code messages/} for its days and the days
 * in range for their hours, and lists and opens only the hour folders that intersect the range. An hour outside it
 * is never listed nor read. Each file's row count comes from its Parquet footer, for the progress totals.
 */
final class ParquetArchiveListing {

    private ParquetArchiveListing() {}

    static List<ArchivedFile> list(FileSystem fs, Path root, EventTimeRange range) throws IOException {
        Path messages = new Path(root, MessagesTable.TABLE.name());
        List<ArchivedFile> files = new ArrayList<>();
        for (FileStatus day : sortedChildren(fs, messages)) {
            LocalDate date = partitionValue(day, "dt=", LocalDate::parse);
            if (date == null || !dayIntersects(date, range)) {
                continue;
            }
            for (FileStatus hour : sortedChildren(fs, day.getPath())) {
                Integer hourOfDay = partitionValue(hour, "hour=", Integer::valueOf);
                if (hourOfDay == null || hourOfDay < 0 || hourOfDay > 23) {
                    continue;
                }
                Instant start = date.atTime(hourOfDay, 0).toInstant(ZoneOffset.UTC);
                if (!intersects(start, start.plus(1, ChronoUnit.HOURS), range)) {
                    continue;
                }
                String partition = EventTimePartitions.partitionOf(start.toEpochMilli());
                for (FileStatus file : sortedChildren(fs, hour.getPath())) {
                    if (!file.isDir() && isVisiblePart(file.getPath().getName())) {
                        files.add(new ArchivedFile(file.getPath().toString(), partition, file.getLen(),
                                rowCount(fs, file)));
                    }
                }
            }
        }
        return files;
    }

    /** Committed part files: {@code *.parquet}, not hidden (in-progress files start with '.'). */
    static boolean isVisiblePart(String name) {
        return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
    }

    private static long rowCount(FileSystem fs, FileStatus file) throws IOException {
        try (FSDataInputStream in = fs.open(file.getPath());
                ParquetFileReader reader = ParquetFileReader.open(new ParquetInputFile(in, file.getLen()))) {
            return reader.getRecordCount();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the Parquet footer of " + file.getPath() + ": " + e.getMessage(), e);
        }
    }

    private static boolean dayIntersects(LocalDate date, EventTimeRange range) {
        Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        return intersects(start, start.plus(1, ChronoUnit.DAYS), range);
    }

    /** [start, end) and the range share an instant. */
    private static boolean intersects(Instant start, Instant end, EventTimeRange range) {
        return (range.from() == null || end.isAfter(range.from()))
                && (range.to() == null || start.isBefore(range.to()));
    }

    private interface Parser<T> {
        T parse(String text);
    }

    /** The value of a {@code key=value} folder, or null for anything else (files, other folders). */
    private static <T> T partitionValue(FileStatus status, String key, Parser<T> parser) {
        String name = status.getPath().getName();
        if (!status.isDir() || !name.startsWith(key)) {
            return null;
        }
        try {
            return parser.parse(name.substring(key.length()));
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** A directory's entries in name order. */
    static List<FileStatus> sortedChildren(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return List.of();
        }
        return Arrays.stream(children).sorted(Comparator.comparing(s -> s.getPath().getName())).toList();
    }

    /** The hour folders a range covers, first and last, for messages that say where nothing was found. */
    static String hoursOf(EventTimeRange range) {
        if (range.from() == null || range.to() == null) {
            return "the hours of " + range;
        }
        ZonedDateTime first = range.from().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        ZonedDateTime last = range.to().minusMillis(1).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        return EventTimePartitions.partitionOf(first.toInstant().toEpochMilli()) + " to "
                + EventTimePartitions.partitionOf(last.toInstant().toEpochMilli());
    }
}
