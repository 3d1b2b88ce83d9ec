package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source of files (a directory's, recursively), a split per file, that a streaming job can put event time
 * on after parsing: each subtask is given all its files at once and reads them merged by each line's envelope
 * {@code timestamp} ({@link TimeMergingSplitReader}), where Flink's {@code FileSource} reads a subtask's files one
 * after the other, so that the watermark the first file moved on made most of the next file's messages late. Each
 * file's own lines stay in their order (the deduplication rule needs it), a file goes whole to one subtask (file
 * {@code i} of the sorted list to subtask {@code i} mod parallelism), and the subtasks' watermarks meet downstream
 * as any split's do.
 *
 * <p>Its splits, positions and checkpoints are the file source's own ({@link FileSourceSplit}, the pending splits'
 * checkpoint): a savepoint of a job that read the same files with {@code FileSource} restores into it.
 */
public final class TimeOrderedFiles
        implements Source<RawMessage, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<RawMessage> {

    private final Path[] files;
    private final BulkFormat<RawMessage, FileSourceSplit> format;

    /**
     * @param format reads a file's records in order; each record must be a new object (the merge holds one record
     *     of every file while it compares their times)
     */
    public TimeOrderedFiles(List<Path> files, BulkFormat<RawMessage, FileSourceSplit> format) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no file to read");
        }
        this.files = files.toArray(Path[]::new);
        this.format = format;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<RawMessage, FileSourceSplit> createReader(SourceReaderContext context) {
        return new TimeOrderedFilesReader(context, format, new Configuration(context.getConfiguration()));
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        try {
            // the file source's own listing: a directory's files recursively, hidden ones ('.', '_') skipped
            return new FilesPerReader(context, new NonSplittingRecursiveEnumerator().enumerateSplits(files, 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + List.of(files) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
        return new FilesPerReader(context, checkpoint.getSplits());
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsCheckpointSerializer<>(FileSourceSplitSerializer.INSTANCE);
    }

    @Override
    public TypeInformation<RawMessage> getProducedType() {
        return format.getProducedType();
    }
}
