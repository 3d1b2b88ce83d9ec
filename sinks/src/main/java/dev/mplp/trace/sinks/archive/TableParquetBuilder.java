package dev.mplp.trace.sinks.archive;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import java.io.IOException;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/** Opens a Parquet writer of one {@link ArchiveTable} on a part file of Flink's {@code FileSink}. */
final class TableParquetBuilder<T> implements ParquetBuilder<T> {

    private static final long serialVersionUID = 1L;

    private final ArchiveTable<T> table;
    private final ArchiveCompression compression;
    private final long rowGroupBytes;

    TableParquetBuilder(ArchiveTable<T> table, ArchiveCompression compression, long rowGroupBytes) {
        this.table = table;
        this.compression = compression;
        this.rowGroupBytes = rowGroupBytes;
    }

    @Override
    public ParquetWriter<T> createWriter(OutputFile out) throws IOException {
        // Parquet's builder would create a Hadoop Configuration with its defaults, which parses Hadoop's XML
        // resources again for every part file (the sink opens one per table, partition and checkpoint): 88 % of
        // the time spent opening writers in the profile. Every setting the writer needs is set below.
        Builder<T> builder = new Builder<>(out, table)
                .withConf(new Configuration(false))
                .withCompressionCodec(codec(compression))
                .withRowGroupSize(rowGroupBytes)
                .withDictionaryEncoding(true);
        table.distinctPerRow().forEach(column -> builder.withDictionaryEncoding(column, false));
        return builder.build();
    }

    static CompressionCodecName codec(ArchiveCompression compression) {
        return switch (compression) {
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
            case GZIP -> CompressionCodecName.GZIP;
            case UNCOMPRESSED -> CompressionCodecName.UNCOMPRESSED;
        };
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final ArchiveTable<T> table;

        Builder(OutputFile file, ArchiveTable<T> table) {
            super(file);
            this.table = table;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(table);
        }
    }
}
