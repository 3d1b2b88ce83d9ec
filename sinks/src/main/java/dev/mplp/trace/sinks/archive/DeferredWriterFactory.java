package dev.mplp.trace.sinks.archive;

import java.io.IOException;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * The archive sink's Parquet writers, each opened at its first record. Flink opens the compacted file of a bulk-format
 * sink through the sink's writer factory too, hands the file's stream to the {@link ArchiveCompactor}, then finishes
 * that writer: a Parquet writer opened at once would put its magic bytes before the compacted file and its own empty
 * footer after it, the footer readers go by (a file of no rows). A part file always gets a record, a compacted file
 * never does, so the one gets a Parquet writer and the other only the compactor's bytes.
 */
final class DeferredWriterFactory<T> implements BulkWriter.Factory<T> {

    private static final long serialVersionUID = 1L;

    private final BulkWriter.Factory<T> writers;

    DeferredWriterFactory(BulkWriter.Factory<T> writers) {
        this.writers = writers;
    }

    @Override
    public BulkWriter<T> create(FSDataOutputStream out) {
        return new BulkWriter<>() {
            private BulkWriter<T> writer;

            @Override
            public void addElement(T element) throws IOException {
                if (writer == null) {
                    writer = writers.create(out);
                }
                writer.addElement(element);
            }

            @Override
            public void flush() throws IOException {
                if (writer != null) {
                    writer.flush();
                }
            }

            @Override
            public void finish() throws IOException {
                if (writer != null) {
                    writer.finish();
                }
            }
        };
    }
}
