package dev.mplp.trace.sinks.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;

/**
 * Reads the rows of one of a table's part files for Flink's {@link RecordWiseFileCompactor}, which writes them into
 * the compacted file with the table's own writer. The rows are {@link StoredRow}s, not the table's records: they
 * pass through the compactor as {@code T} (its type parameter is erased at run time; only {@link RowWriteSupport}
 * ever looks at them, and it writes a stored row by value).
 */
final class CompactionReader<T> implements RecordWiseFileCompactor.Reader<T> {

    private final ArchiveTable<T> table;
    private final ParquetReader<Group> rows;

    private CompactionReader(ArchiveTable<T> table, ParquetReader<Group> rows) {
        this.table = table;
        this.rows = rows;
    }

    /** The reader factory of a table's compactor. */
    static <T> RecordWiseFileCompactor.Reader.Factory<T> factory(ArchiveTable<T> table) {
        return path -> open(table, path);
    }

    private static <T> CompactionReader<T> open(ArchiveTable<T> table, Path path) throws IOException {
        FileSystem fileSystem = path.getFileSystem();
        long length = fileSystem.getFileStatus(path).getLen();
        FSDataInputStream stream = fileSystem.open(path);
        try {
            return new CompactionReader<>(table, new Builder(new ParquetInputFile(stream, length))
                    // Hadoop's defaults would parse its XML resources again for every file; the reader needs none
                    .withConf(new Configuration(false))
                    .build());
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new IOException("cannot read " + path + " to compact it into table " + table.name(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked") // see the class comment: a stored row travels through the compactor as T
    public T read() throws IOException {
        Group row = rows.read();
        return row == null ? null : (T) stored(row);
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }

    private StoredRow stored(Group row) {
        List<Column<T>> columns = table.columns();
        List<Object> values = new ArrayList<>(columns.size());
        for (Column<T> column : columns) {
            values.add(row.getFieldRepetitionCount(column.name()) == 0 ? null : value(row, column));
        }
        return new StoredRow(values);
    }

    private static Object value(Group row, Column<?> column) {
        String name = column.name();
        return switch (column.kind()) {
            case STRING -> row.getString(name, 0);
            case TIMESTAMP, INT64 -> row.getLong(name, 0);
            case INT32 -> row.getInteger(name, 0);
            case DOUBLE -> row.getDouble(name, 0);
            case BOOLEAN -> row.getBoolean(name, 0);
            case STRING_LIST -> list(row.getGroup(name, 0));
        };
    }

    /** The standard three-level list: an element group per entry, each with the (optional) element. */
    private static String[] list(Group list) {
        String[] elements = new String[list.getFieldRepetitionCount(Column.LIST_GROUP)];
        for (int index = 0; index < elements.length; index++) {
            Group entry = list.getGroup(Column.LIST_GROUP, index);
            elements[index] = entry.getFieldRepetitionCount(Column.LIST_ELEMENT) == 0
                    ? null
                    : entry.getString(Column.LIST_ELEMENT, 0);
        }
        return elements;
    }

    private static final class Builder extends ParquetReader.Builder<Group> {
        Builder(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }
}
