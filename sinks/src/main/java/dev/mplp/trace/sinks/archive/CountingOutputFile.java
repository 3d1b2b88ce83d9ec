package dev.mplp.trace.sinks.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over the stream Flink opens for a compacted file: Parquet records the offsets of what
 * it writes in the footer, so the stream counts its bytes. It buffers them: Flink's local file streams do not, and
 * Parquet writes its page headers and indexes in small pieces. Closing it only flushes: the stream belongs to Flink,
 * which commits it after the compactor returns.
 */
final class CountingOutputFile implements OutputFile {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;

    CountingOutputFile(OutputStream out) {
        this.out = new BufferedOutputStream(out, BUFFER_BYTES);
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return new PositionOutputStream() {
            private long position;

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                position++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                position += length;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }
}
