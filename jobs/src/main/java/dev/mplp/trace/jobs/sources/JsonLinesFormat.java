package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON-lines files (plain or compressed by file extension) as {@link RawMessage}s that know their place,
 * {@code file:PATH:LINE}. Blank lines are not records and are skipped (they are not messages, so not counted as
 * read), but still numbered, so line numbers are those an editor shows. The line terminator, {@code \n} or
 * {@code \r\n}, is not part of the record nor of its size. A line longer than the size limit is kept only up to the limit (the rest is skipped and
 * its full size recorded), so one huge line cannot exhaust memory; the validator then dead-letters it.
 *
 * <p>Line numbers survive a restore: Flink restores this non-splittable format by re-reading and skipping the
 * records already emitted, through the same line counter.
 */
public class JsonLinesFormat extends WholeFileFormat {

    private final StreamFormatAdapter<NumberedLine> lines;

    public JsonLinesFormat(long maxLineBytes) {
        this.lines = new StreamFormatAdapter<>(new NumberedLines(maxLineBytes));
    }

    @Override
    public Reader<RawMessage> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new PositionedReader(lines.createReader(config, split), split.path());
    }

    @Override
    public Reader<RawMessage> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return new PositionedReader(lines.restoreReader(config, split), split.path());
    }

    /** A line's bytes (possibly cut at the limit), its full size and its 1-based number. */
    public static final class NumberedLine {
        final byte[] bytes;
        final long sizeBytes;
        final long number;

        NumberedLine(byte[] bytes, long sizeBytes, long number) {
            this.bytes = bytes;
            this.sizeBytes = sizeBytes;
            this.number = number;
        }
    }

    private static final class NumberedLines extends SimpleStreamFormat<NumberedLine> {
        private final long maxLineBytes;

        NumberedLines(long maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
        }

        @Override
        public StreamFormat.Reader<NumberedLine> createReader(Configuration config, FSDataInputStream stream) {
            return new LineReader(stream, maxLineBytes);
        }

        @Override
        public TypeInformation<NumberedLine> getProducedType() {
            return TypeInformation.of(NumberedLine.class);
        }
    }

    /**
     * Splits the stream at {@code '\n'} a block at a time: reads 64 KB into a buffer and copies whole runs up to the
     * next line break, rather than a byte at a time through a synchronized stream (the file source's top cost in
     * the benchmark's profile).
     */
    private static final class LineReader implements StreamFormat.Reader<NumberedLine> {
        private final InputStream in;
        private final long maxLineBytes;
        private final byte[] block = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] line = new byte[8192];
        private int length;
        private long lineNumber;

        LineReader(InputStream stream, long maxLineBytes) {
            this.in = stream;
            this.maxLineBytes = maxLineBytes;
        }

        @Nullable
        @Override
        public NumberedLine read() throws IOException {
            while (true) {
                length = 0;
                long size = 0;
                boolean broken = false;
                byte lastByte = 0;
                while (!broken) {
                    if (position == limit && !fill()) {
                        break;
                    }
                    int end = indexOfLineBreak();
                    broken = end < limit;
                    keep(end - position, size);
                    size += end - position;
                    if (end > position) {
                        lastByte = block[end - 1];
                    }
                    position = broken ? end + 1 : end;
                }
                if (!broken && size == 0) {
                    return null;
                }
                lineNumber++;
                // the terminator is "\r\n" or "\n": neither counts, even when the line was cut at the limit
                if (lastByte == '\r') {
                    size--;
                    length = (int) Math.min(length, size);
                }
                byte[] bytes = java.util.Arrays.copyOf(line, length);
                if (!isBlank(bytes) || size > bytes.length) {
                    return new NumberedLine(bytes, size, lineNumber);
                }
            }
        }

        /** Reads the next block; false at the end of the stream. */
        private boolean fill() throws IOException {
            int read = in.read(block, 0, block.length);
            while (read == 0) {
                read = in.read(block, 0, block.length);
            }
            position = 0;
            limit = Math.max(read, 0);
            return read > 0;
        }

        /** The position of the next {@code '\n'} in the block, else its limit. */
        private int indexOfLineBreak() {
            for (int i = position; i < limit; i++) {
                if (block[i] == '\n') {
                    return i;
                }
            }
            return limit;
        }

        /** Appends the block's next {@code count} bytes to the line, as far as the limit allows. */
        private void keep(int count, long sizeSoFar) {
            int kept = (int) Math.max(0, Math.min(count, maxLineBytes - sizeSoFar));
            if (length + kept > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + kept));
            }
            System.arraycopy(block, position, line, length, kept);
            length += kept;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte c : bytes) {
                if (c != ' ' && c != '\t' && c != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Adds the file's path to each line, turning it into a {@link RawMessage}. */
    private static final class PositionedReader implements Reader<RawMessage> {
        private final Reader<NumberedLine> lines;
        private final String pathPrefix;

        PositionedReader(Reader<NumberedLine> lines, Path path) {
            this.lines = lines;
            // file:PATH for local files, as before; the full URI (s3://BUCKET/KEY) for the others
            String scheme = path.toUri().getScheme();
            this.pathPrefix = (scheme == null || scheme.equals("file") ? "file:" + path.getPath() : path.toString()) + ":";
        }

        @Nullable
        @Override
        public RecordIterator<RawMessage> readBatch() throws IOException {
            RecordIterator<NumberedLine> batch = lines.readBatch();
            if (batch == null) {
                return null;
            }
            long ingestTime = System.currentTimeMillis();
            return new RecordIterator<>() {
                @Nullable
                @Override
                public RecordAndPosition<RawMessage> next() {
                    RecordAndPosition<NumberedLine> next = batch.next();
                    if (next == null) {
                        return null;
                    }
                    NumberedLine line = next.getRecord();
                    RawMessage raw = new RawMessage(
                            line.bytes, line.sizeBytes, pathPrefix + line.number, ingestTime);
                    return new RecordAndPosition<>(raw, next.getOffset(), next.getRecordSkipCount());
                }

                @Override
                public void releaseBatch() {
                    batch.releaseBatch();
                }
            };
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
