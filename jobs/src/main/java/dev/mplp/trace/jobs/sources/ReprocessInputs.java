package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.sinks.archive.MessagesTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Decides what {@code reprocess --archive} points at and lists what the run reads:
 *
 * <ul>
 *   <li>a Parquet archive root (a directory with a {@code messages/} table): the {@code messages/} files of the hour
 *       partitions that intersect the range ({@link ParquetArchiveListing}), read by {@link ParquetPayloadFormat};
 *   <li>JSON lines: a file, a directory (its files, recursively; names starting with '.' or '_' are skipped) or a
 *       glob of file names, plain or compressed by extension ({@code .gz}), read by {@link JsonLinesFormat};
 *   <li>a Kafka topic, read to its end.
 * </ul>
 *
 * Anything else (a Parquet table directory or file, an empty directory, a missing path) is refused with a message
 * that says what was found and what is expected.
 */
public final class ReprocessInputs {

    /** The kinds of input, as the progress and the summary name them. */
    public enum Kind {
        PARQUET_ARCHIVE("Parquet archive"),
        JSON_LINES("JSON lines"),
        KAFKA("Kafka topic");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What a run reads.
     *
     * @param files every file the source reads, in listing order (empty for Kafka)
     */
    public record Plan(Kind kind, List<ArchivedFile> files, Source<RawMessage, ?, ?> source) {}

    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ReprocessInputs() {}

    /**
     * Lists the input through Flink's file systems, which must be initialized for {@code s3://} (the S3 plugin and
     * settings) before this is called.
     */
    public static Plan plan(ArchiveInput input, EventTimeRange range, TraceAnalyticsConfig config) {
        if (input instanceof ArchiveInput.Topic topic) {
            return new Plan(Kind.KAFKA, List.of(), RawMessageSources.create(topic.topic(), config, true));
        }
        ArchiveInput.Files files = (ArchiveInput.Files) input;
        try {
            Path location = new Path(files.location());
            FileSystem fs = location.getFileSystem();
            if (files.glob() != null) {
                return jsonLines(files, matching(fs, location, files.glob()), config);
            }
            FileStatus status;
            try {
                status = fs.getFileStatus(location);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("--archive " + files + ": no such file or directory");
            }
            if (!status.isDir()) {
                if (startsWithParquetMagic(fs, status)) {
                    throw new IllegalArgumentException("--archive " + files + " is one Parquet file; give the "
                            + "archive root, the directory that holds " + MessagesTable.TABLE.name() + "/");
                }
                return jsonLines(files, List.of(status), config);
            }
            Path messages = new Path(location, MessagesTable.TABLE.name());
            if (fs.exists(messages) && fs.getFileStatus(messages).isDir()) {
                return parquetArchive(files, fs, location, range);
            }
            return jsonLines(files, walk(fs, location), config);
        } catch (IOException e) {
            throw new IllegalArgumentException("--archive " + files + ": cannot list it (" + e.getMessage() + ")", e);
        }
    }

    private static Plan parquetArchive(ArchiveInput.Files input, FileSystem fs, Path root, EventTimeRange range)
            throws IOException {
        List<ArchivedFile> files = ParquetArchiveListing.list(fs, root, range);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--archive " + input + " is a Parquet archive, but no "
                    + MessagesTable.TABLE.name() + "/ partition intersects " + range + " (looked for "
                    + ParquetArchiveListing.hoursOf(range) + ")");
        }
        return new Plan(Kind.PARQUET_ARCHIVE, files, fileSource(new ParquetPayloadFormat(), files));
    }

    private static Plan jsonLines(ArchiveInput.Files input, List<FileStatus> statuses, TraceAnalyticsConfig config) {
        List<ArchivedFile> files = new ArrayList<>();
        for (FileStatus status : statuses) {
            String name = status.getPath().getName();
            if (ParquetArchiveListing.isVisiblePart(name)) {
                throw new IllegalArgumentException("--archive " + input + " holds Parquet files (" + status.getPath()
                        + ") but no " + MessagesTable.TABLE.name() + "/ table: it is neither JSON lines nor a "
                        + "Parquet archive root; give the directory that holds " + MessagesTable.TABLE.name() + "/");
            }
            files.add(new ArchivedFile(status.getPath().toString(), null, status.getLen(), -1));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--archive " + input + " holds no files: neither JSON lines nor a "
                    + "Parquet archive root (a directory with " + MessagesTable.TABLE.name() + "/)");
        }
        return new Plan(Kind.JSON_LINES, files,
                fileSource(new JsonLinesFormat(config.ingest().maxMessageBytes()), files));
    }

    private static Source<RawMessage, ?, ?> fileSource(
            BulkFormat<RawMessage, FileSourceSplit> format, List<ArchivedFile> files) {
        // the listed files themselves, so that the source opens exactly these
        return FileSource.forBulkFileFormat(format, files.stream().map(f -> new Path(f.path())).toArray(Path[]::new))
                .build();
    }

    private static List<FileStatus> matching(FileSystem fs, Path dir, String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<FileStatus> matches = new ArrayList<>();
        for (FileStatus child : ParquetArchiveListing.sortedChildren(fs, dir)) {
            if (!child.isDir() && matcher.matches(java.nio.file.Path.of(child.getPath().getName()))) {
                matches.add(child);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("--archive: no file in " + dir + " matches " + glob);
        }
        return matches;
    }

    /** The visible files under a directory, recursively, in name order. */
    private static List<FileStatus> walk(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus child : ParquetArchiveListing.sortedChildren(fs, dir)) {
            String name = child.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (child.isDir()) {
                files.addAll(walk(fs, child.getPath()));
            } else {
                files.add(child);
            }
        }
        return files;
    }

    private static boolean startsWithParquetMagic(FileSystem fs, FileStatus file) throws IOException {
        if (file.getLen() < PARQUET_MAGIC.length) {
            return false;
        }
        byte[] start = new byte[PARQUET_MAGIC.length];
        try (FSDataInputStream in = fs.open(file.getPath())) {
            int read = 0;
            while (read < start.length) {
                int n = in.read(start, read, start.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
        }
        return Arrays.equals(start, PARQUET_MAGIC);
    }
}
