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
 * they had, each column chunk with its statistics (min, max, nulls), page indexes and encodings as written, and their
 * key-value metadata (table, schema version). Only the chunks' size statistics (unencoded sizes, level histograms,
 * for readers' planning) stay behind: parquet-java's chunk copy leaves them out.
 *
 * <p>Their rows are rewritten instead, row by row, with the table's writer ({@link CompactionReader}):
 * <ul>
 *   <li>when their row groups are small (a table that gets a few rows a checkpoint): copied, they would stay as small,
 *       and readers pay for every row group (its footer entry, a read per column chunk); rewriting so few bytes is
 *       cheap;
 *   <li>when they do not share one Parquet schema and metadata (files an earlier version of the job left in the
 *       checkpoint it was restored from, next to files of the current version), which cannot be concatenated: their
 *       rows are written in the table's current schema, column by column name.
 * </ul>
 */
final class ArchiveCompactor<T> extends OutputStreamBasedFileCompactor {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCompactor.class);

    private final ArchiveTable<T> table;
    private final ParquetBuilder<T> writers;
    private final long minCopiedRowGroupBytes;

    /**
     * @param writers the table's writers, for the part files it rewrites
     * @param minCopiedRowGroupBytes the average size of the part files' row groups (compressed) from which they are
     *     copied rather than rewritten
     */
    ArchiveCompactor(ArchiveTable<T> table, ParquetBuilder<T> writers, long minCopiedRowGroupBytes) {
        this.table = table;
        this.writers = writers;
        this.minCopiedRowGroupBytes = minCopiedRowGroupBytes;
    }

    @Override
    protected void doCompact(List<Path> inputs, OutputStream out) throws Exception {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no part file of table " + table.name() + " to compact");
        }
        List<FileMetaData> layouts = new ArrayList<>(inputs.size());
        long rowGroups = 0;
        long rowGroupBytes = 0;
        for (Path input : inputs) {
            try (ParquetFileReader reader = open(input)) {
                layouts.add(reader.getFileMetaData());
                rowGroups += reader.getRowGroups().size();
                rowGroupBytes += reader.getRowGroups().stream().mapToLong(BlockMetaData::getCompressedSize).sum();
            }
        }
        FileMetaData layout = layouts.get(0);
        if (!layouts.stream().allMatch(other -> sameLayout(other, layout))) {
            LOG.info("Compacting {} part files of archive table {} row by row into schema version {}: they do not "
                    + "share one schema and metadata (files of an earlier version)", inputs.size(), table.name(),
                    table.schemaVersion());
            rewriteRows(inputs, layouts, out);
        } else if (rowGroups > 0 && rowGroupBytes / rowGroups < minCopiedRowGroupBytes
                && layout.getSchema().equals(table.parquetSchema())) {
            rewriteRows(inputs, layouts, out);
        } else {
            // an earlier version's files alone are copied whatever their size: the current schema might not fit them
            copyRowGroups(inputs, layout, out);
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
            try (ParquetFileReader reader = ParquetFileReader.open(file, readOptions(), in)) {
                PageIndexes indexes = PageIndexes.read(in, reader.getRowGroups());
                for (BlockMetaData rowGroup : reader.getRowGroups()) {
                    copyRowGroup(reader, in, indexes, rowGroup, schema, writer);
                }
            }
        }
        writer.end(layout.getKeyValueMetaData());
    }

    /**
     * Copies a row group column chunk by column chunk with the chunks' page indexes (and bloom filters, if any), which
     * {@link ParquetFileWriter#appendFile} would drop.
     */
    private static void copyRowGroup(ParquetFileReader reader, SeekableInputStream in, PageIndexes indexes,
            BlockMetaData rowGroup, MessageType schema, ParquetFileWriter writer) throws IOException {
        if (rowGroup.getRowCount() == 0) {
            return; // parquet-java cannot end a row group of no rows, and it holds nothing
        }
        writer.startBlock(rowGroup.getRowCount());
        for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
            writer.appendColumnChunk(schema.getColumnDescription(chunk.getPath().toArray()), in, chunk,
                    reader.readBloomFilter(chunk), indexes.columnIndex(chunk), indexes.offsetIndex(chunk));
        }
        writer.endBlock();
    }

    /** Writes the part files' rows with the table's writer, in its current schema. */
    private void rewriteRows(List<Path> inputs, List<FileMetaData> layouts, OutputStream out) throws IOException {
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
            return ParquetFileReader.open(file, readOptions(), file.newStream());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + path + " to compact it into table " + table.name(), e);
        }
    }

    /**
     * A reader's own options (closing a reader releases its options' codecs). No Hadoop configuration: parsing
     * Hadoop's XML resources for every file would cost more than the copy.
     */
    private static ParquetReadOptions readOptions() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    }

    /** Opens a part file; whoever reads it closes it. */
    static ParquetInputFile inputFile(Path path) throws IOException {
        FileSystem fileSystem = path.getFileSystem();
        return new ParquetInputFile(fileSystem.open(path), fileSystem.getFileStatus(path).getLen());
    }
}
