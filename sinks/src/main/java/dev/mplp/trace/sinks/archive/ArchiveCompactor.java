package dev.mplp.trace.sinks.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the part files of a partition of one archive table into one file by copying their row groups byte for
 * byte, without decoding a row: the compacted file holds the part files' rows in their order, in as many row groups as
 * they had, each column chunk with its statistics, page indexes and encodings as written, and their key-value
 * metadata (table, schema version).
 *
 * <p>Part files can only be concatenated when they share one Parquet schema and metadata. Those that do not (files an
 * earlier version of the job left in the checkpoint it was restored from, next to files of the current schema version)
 * are rewritten instead, row by row, into the table's current schema, column by column name
 * ({@link CompactionReader}).
 */
final class ArchiveCompactor<T> extends OutputStreamBasedFileCompactor {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCompactor.class);

    /** No Hadoop configuration: parsing Hadoop's XML resources for every file would cost more than the copy. */
    private static final ParquetReadOptions READ_OPTIONS =
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private final ArchiveTable<T> table;
    private final ParquetBuilder<T> writers;

    /**
     * @param writers the table's writers, for part files of mixed schemas
     */
    ArchiveCompactor(ArchiveTable<T> table, ParquetBuilder<T> writers) {
        this.table = table;
        this.writers = writers;
    }

    @Override
    protected void doCompact(List<Path> inputs, OutputStream out) throws Exception {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no part file of table " + table.name() + " to compact");
        }
        List<FileMetaData> layouts = new ArrayList<>(inputs.size());
        for (Path input : inputs) {
            try (ParquetFileReader reader = open(input)) {
                layouts.add(reader.getFileMetaData());
            }
        }
        if (layouts.stream().allMatch(layout -> sameLayout(layout, layouts.get(0)))) {
            copyRowGroups(inputs, layouts.get(0), out);
        } else {
            LOG.info("Compacting {} part files of archive table {} row by row into schema version {}: they do not "
                    + "share one schema and metadata (files of an earlier version)", inputs.size(), table.name(),
                    table.schemaVersion());
            rewriteRows(inputs, layouts, out);
        }
    }

    private static boolean sameLayout(FileMetaData one, FileMetaData other) {
        return one.getSchema().equals(other.getSchema())
                && one.getKeyValueMetaData().equals(other.getKeyValueMetaData());
    }

    private static void copyRowGroups(List<Path> inputs, FileMetaData layout, OutputStream out) throws IOException {
        MessageType schema = layout.getSchema();
        // no row group size nor padding: nothing is aligned to blocks, the row groups keep the size they were written at
        ParquetFileWriter writer = new ParquetFileWriter(new CountingOutputFile(out), schema,
                ParquetFileWriter.Mode.CREATE, 0, 0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
        writer.start();
        for (Path input : inputs) {
            ParquetInputFile file = inputFile(input);
            SeekableInputStream in = file.newStream();
            try (ParquetFileReader reader = ParquetFileReader.open(file, READ_OPTIONS, in)) {
                for (BlockMetaData rowGroup : reader.getRowGroups()) {
                    copyRowGroup(reader, in, rowGroup, schema, writer);
                }
            }
        }
        writer.end(layout.getKeyValueMetaData());
    }

    /**
     * Copies a row group column chunk by column chunk with the chunks' page indexes (and bloom filters, if any), which
     * {@link ParquetFileWriter#appendFile} would drop.
     */
    private static void copyRowGroup(ParquetFileReader reader, SeekableInputStream in, BlockMetaData rowGroup,
            MessageType schema, ParquetFileWriter writer) throws IOException {
        if (rowGroup.getRowCount() == 0) {
            return; // parquet-java cannot end a row group of no rows, and it holds nothing
        }
        writer.startBlock(rowGroup.getRowCount());
        for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
            writer.appendColumnChunk(schema.getColumnDescription(chunk.getPath().toArray()), in, chunk,
                    reader.readBloomFilter(chunk), reader.readColumnIndex(chunk), reader.readOffsetIndex(chunk));
        }
        writer.endBlock();
    }

    /** Writes the rows of part files of mixed schemas with the table's writer, in the current schema. */
    void rewriteRows(List<Path> inputs, List<FileMetaData> layouts, OutputStream out) throws IOException {
        ParquetWriter<T> writer = writers.createWriter(new CountingOutputFile(out));
        for (int index = 0; index < inputs.size(); index++) {
            try (CompactionReader<T> rows = CompactionReader.open(table, inputs.get(index),
                    layouts.get(index).getSchema())) {
                for (T row = rows.read(); row != null; row = rows.read()) {
                    writer.write(row);
                }
            }
        }
        writer.close();
    }

    private ParquetFileReader open(Path path) throws IOException {
        ParquetInputFile file = inputFile(path);
        try {
            return ParquetFileReader.open(file, READ_OPTIONS, file.newStream());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + path + " to compact it into table " + table.name(), e);
        }
    }

    /** Opens a part file; whoever reads it closes it. */
    static ParquetInputFile inputFile(Path path) throws IOException {
        FileSystem fileSystem = path.getFileSystem();
        return new ParquetInputFile(fileSystem.open(path), fileSystem.getFileStatus(path).getLen());
    }
}
