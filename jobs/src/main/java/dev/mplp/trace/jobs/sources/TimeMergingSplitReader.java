package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.ingest.EnvelopeSniffer;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Reads several files at once and hands out their records merged by event time: always the record whose envelope
 * {@code timestamp} is the earliest among the next record of each file (the file first in path order on a tie). A
 * record without a readable timestamp takes its file's previous one (the start of time before any), so it stays
 * with its neighbours; its event time is the parser's business, this only decides the order. A file's own records
 * keep their order, however out of order their times are.
 *
 * <p>Why: the job puts event time on the messages after parsing, one watermark per subtask. Files read one after
 * the other move it to the end of the first file before the second begins; merged, it moves as it would over one
 * file of all their lines.
 *
 * <p>At most {@value #MAX_OPEN_FILES} files are open at once (each holds a batch of records read ahead, about a
 * megabyte): the first ones in path order, the next one opening as one ends. A subtask with more files merges a
 * window of them, right for files named in time order (an archive's hours), which follow each other anyway.
 */
final class TimeMergingSplitReader implements SplitReader<RecordAndPosition<RawMessage>, FileSourceSplit> {

    /** Records per fetch: enough to amortise the hand-over to the task thread, few enough to keep batches small. */
    static final int RECORDS_PER_FETCH = 256;

    static final int MAX_OPEN_FILES = 32;

    private final Configuration config;
    private final BulkFormat<RawMessage, FileSourceSplit> format;
    private final int maxOpenFiles;
    /** The files being read, in path order. */
    private final List<FileCursor> files = new ArrayList<>();
    /** The files given to this reader and not yet opened, in path order. */
    private final PriorityQueue<FileSourceSplit> unopened = new PriorityQueue<>(FilesPerReader.FILE_ORDER);

    TimeMergingSplitReader(Configuration config, BulkFormat<RawMessage, FileSourceSplit> format) {
        this(config, format, MAX_OPEN_FILES);
    }

    TimeMergingSplitReader(Configuration config, BulkFormat<RawMessage, FileSourceSplit> format, int maxOpenFiles) {
        this.config = config;
        this.format = format;
        this.maxOpenFiles = maxOpenFiles;
    }

    @Override
    public RecordsWithSplitIds<RecordAndPosition<RawMessage>> fetch() throws IOException {
        MergedRecords records = new MergedRecords();
        for (int taken = 0; taken < RECORDS_PER_FETCH; taken++) {
            FileCursor earliest = null;
            for (FileCursor file : openFilesWithANextRecord(records.finished)) {
                if (earliest == null || file.nextTime < earliest.nextTime) {
                    earliest = file;
                }
            }
            if (earliest == null) {
                break;
            }
            records.add(earliest.split.splitId(), earliest.take());
        }
        return records;
    }

    /**
     * The open files, each with its next record read ahead: ended files are closed and added to {@code finished},
     * and the next ones in path order opened in their place.
     */
    private List<FileCursor> openFilesWithANextRecord(Set<String> finished) throws IOException {
        boolean ended = true;
        while (ended) {
            open();
            ended = false;
            for (Iterator<FileCursor> it = files.iterator(); it.hasNext(); ) {
                FileCursor file = it.next();
                if (!file.hasNext()) {
                    file.close();
                    it.remove();
                    finished.add(file.split.splitId());
                    ended = !unopened.isEmpty();
                }
            }
        }
        return files;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<FileSourceSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported splits change: " + change.getClass());
        }
        unopened.addAll(change.splits());
    }

    /** Opens the next files in path order while fewer than the most are open. */
    private void open() throws IOException {
        boolean opened = false;
        while (files.size() < maxOpenFiles && !unopened.isEmpty()) {
            FileSourceSplit split = unopened.poll();
            BulkFormat.Reader<RawMessage> reader = split.getReaderPosition().isPresent()
                    ? format.restoreReader(config, split)
                    : format.createReader(config, split);
            files.add(new FileCursor(split, reader));
            opened = true;
        }
        if (opened) {
            files.sort((a, b) -> FilesPerReader.FILE_ORDER.compare(a.split, b.split));
        }
    }

    @Override
    public void wakeUp() {
        // a fetch reads local or remote files to at most RECORDS_PER_FETCH records: it ends on its own
    }

    @Override
    public void close() throws IOException {
        for (FileCursor file : files) {
            file.close();
        }
        files.clear();
        unopened.clear();
    }

    /** A file being read and its next record, read ahead to compare its time with the other files'. */
    private static final class FileCursor {
        final FileSourceSplit split;
        private final BulkFormat.Reader<RawMessage> reader;
        private BulkFormat.RecordIterator<RawMessage> batch;
        private RecordAndPosition<RawMessage> next;
        /** The next record's envelope time, else the one before it; the start of time before any. */
        long nextTime = Long.MIN_VALUE;

        FileCursor(FileSourceSplit split, BulkFormat.Reader<RawMessage> reader) {
            this.split = split;
            this.reader = reader;
        }

        /** Reads the next record ahead if it is not yet; false at the end of the file. */
        boolean hasNext() throws IOException {
            while (next == null) {
                if (batch == null) {
                    batch = reader.readBatch();
                    if (batch == null) {
                        return false;
                    }
                }
                next = batch.next();
                if (next == null) {
                    batch.releaseBatch();
                    batch = null;
                } else {
                    Long time = EnvelopeSniffer.timestamp(next.getRecord().body);
                    if (time != null) {
                        nextTime = time;
                    }
                }
            }
            return true;
        }

        RecordAndPosition<RawMessage> take() {
            RecordAndPosition<RawMessage> taken = next;
            next = null;
            return taken;
        }

        void close() throws IOException {
            if (batch != null) {
                batch.releaseBatch();
                batch = null;
            }
            reader.close();
        }
    }

    /** One fetch's records in the merged order: runs of consecutive records of one file, a file possibly again. */
    private static final class MergedRecords implements RecordsWithSplitIds<RecordAndPosition<RawMessage>> {
        private final List<String> runFiles = new ArrayList<>();
        private final List<List<RecordAndPosition<RawMessage>>> runs = new ArrayList<>();
        final Set<String> finished = new HashSet<>();
        private int run = -1;
        private int index;

        void add(String splitId, RecordAndPosition<RawMessage> record) {
            if (runFiles.isEmpty() || !runFiles.get(runFiles.size() - 1).equals(splitId)) {
                runFiles.add(splitId);
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(record);
        }

        @Override
        public String nextSplit() {
            run++;
            index = 0;
            return run < runFiles.size() ? runFiles.get(run) : null;
        }

        @Override
        public RecordAndPosition<RawMessage> nextRecordFromSplit() {
            List<RecordAndPosition<RawMessage>> records = runs.get(run);
            return index < records.size() ? records.get(index++) : null;
        }

        @Override
        public Set<String> finishedSplits() {
            return finished;
        }
    }
}
