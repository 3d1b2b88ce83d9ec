package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.InputFile;

/**
 * Reads the {@code messages/} files of a Parquet archive back into the {@link RawMessage}s the pipeline consumes:
 * the {@code payload} column (the JSON the streaming job received) through parquet-java's reader, over Flink's file
 * system ({@link ParquetInputFile}: local files and S3 alike). Each message knows its place,
 * {@code parquet:FILE#ROW} (ROW counted from 1), which is also how {@link ReadProgress} tells files apart.
 */
public class ParquetPayloadFormat extends WholeFileFormat {

    static final String POSITION_PREFIX = "parquet:";

    private static final int BATCH_ROWS = 512;

    @Override
    public Reader<RawMessage> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new PayloadReader(split, 0);
    }

    @Override
    public Reader<RawMessage> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new PayloadReader(split, skip);
    }

    private static final class PayloadReader implements Reader<RawMessage> {
        private final ParquetReader<byte[]> rows;
        private final String positionPrefix;
        private long rowsRead;

        PayloadReader(FileSourceSplit split, long skip) throws IOException {
            Path path = split.path();
            FSDataInputStream stream = path.getFileSystem().open(path);
            try {
                this.rows = new Builder(new ParquetInputFile(stream, split.fileSize())).build();
            } catch (IOException | RuntimeException e) {
                stream.close();
                throw new IOException("cannot read " + path + " as a Parquet messages file: " + e.getMessage(), e);
            }
            this.positionPrefix = POSITION_PREFIX + path + "#";
            while (rowsRead < skip && readRow() != null) {
                // rows a restored reader already emitted
            }
        }

        @Nullable
        @Override
        public RecordIterator<RawMessage> readBatch() throws IOException {
            long ingestTime = System.currentTimeMillis();
            long skipBefore = rowsRead;
            List<RawMessage> batch = new ArrayList<>(BATCH_ROWS);
            for (byte[] payload; batch.size() < BATCH_ROWS && (payload = readRow()) != null; ) {
                batch.add(new RawMessage(payload, payload.length, positionPrefix + rowsRead, ingestTime));
            }
            return batch.isEmpty()
                    ? null
                    : new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, skipBefore);
        }

        private byte[] readRow() throws IOException {
            byte[] payload = rows.read();
            if (payload != null) {
                rowsRead++;
            }
            return payload;
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }

    private static final class Builder extends ParquetReader.Builder<byte[]> {
        Builder(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<byte[]> getReadSupport() {
            return new PayloadReadSupport();
        }
    }
}
