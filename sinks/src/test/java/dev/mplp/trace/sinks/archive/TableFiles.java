package dev.mplp.trace.sinks.archive;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.formats.parquet.ParquetWriterFactory;

/** Writes records of a table into one Parquet file the way the archive sink's part files are written. */
final class TableFiles {

    private TableFiles() {}

    static <T> Path write(Path file, ArchiveTable<T> table, ArchiveCompression compression, List<T> records)
            throws IOException {
        ParquetWriterFactory<T> factory =
                new ParquetWriterFactory<>(new TableParquetBuilder<>(table, compression, 1024 * 1024));
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(file.toUri());
        try (FSDataOutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<T> writer = factory.create(out);
            for (T record : records) {
                writer.addElement(record);
            }
            writer.finish();
        }
        return file;
    }
}
