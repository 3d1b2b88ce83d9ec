package dev.mplp.trace.sinks.archive;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the rows of one of a table's part files, by column name, for the {@link ArchiveCompactor} to write them again
 * with the table's own writer when it cannot copy them (part files of mixed schema versions): a column the file does
 * not have (added since) reads as null, one the table no longer has is left out. The rows are {@link StoredRow}s, not
 * the table's records: they pass through the writer as {@code T} (its type parameter is erased at run time; only
 * {@link RowWriteSupport} ever looks at them, and it writes a stored row by value).
 */
final class CompactionReader<T> implements Closeable {

    private final ArchiveTable<T> table;
    private final boolean[] inFile;
    private final ParquetReader<Group> rows;

    private CompactionReader(ArchiveTable<T> table, boolean[] inFile, ParquetReader<Group> rows) {
        this.table = table;
        this.inFile = inFile;
        this.rows = rows;
    }

    /**
     * @param fileSchema the part file's own schema
     * @throws IOException if the file lacks a column the table requires, or has one of another type: its rows cannot
     *     take the table's current schema without losing or inventing values
     */
    static <T> CompactionReader<T> open(ArchiveTable<T> table, Path path, MessageType fileSchema) throws IOException {
        boolean[] inFile = columnsInFile(table, path, fileSchema);
        ParquetInputFile file = ArchiveCompactor.inputFile(path);
        try {
            return new CompactionReader<>(table, inFile, new Builder(file)
                    // Hadoop's defaults would parse its XML resources again for every file; the reader needs none
                    .withConf(new Configuration(false))
                    .build());
        } catch (IOException | RuntimeException e) {
            file.newStream().close();
            throw new IOException("cannot read " + path + " to compact it into table " + table.name(), e);
        }
    }

    private static boolean[] columnsInFile(ArchiveTable<?> table, Path path, MessageType fileSchema)
            throws IOException {
        List<? extends Column<?>> columns = table.columns();
        boolean[] inFile = new boolean[columns.size()];
        for (int index = 0; index < inFile.length; index++) {
            Column<?> column = columns.get(index);
            inFile[index] = fileSchema.containsField(column.name());
            if (!inFile[index] && column.required()) {
                throw unfit(table, path, "has no column " + column.name() + ", which is required");
            }
            if (inFile[index] && !fileSchema.getType(column.name()).equals(column.parquetType())) {
                throw unfit(table, path, "has column " + column.name() + " as " + fileSchema.getType(column.name()));
            }
        }
        return inFile;
    }

    private static IOException unfit(ArchiveTable<?> table, Path path, String problem) {
        return new IOException("cannot compact " + path + " into archive table " + table.name() + " (schema version "
                + table.schemaVersion() + "): the file " + problem + " in that version; restore the job with "
                + "archive.compaction.interval: 0 to commit the part files uncompacted");
    }

    @SuppressWarnings("unchecked") // see the class comment: a stored row travels through the writer as T
    T read() throws IOException {
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
        for (int index = 0; index < columns.size(); index++) {
            Column<T> column = columns.get(index);
            values.add(!inFile[index] || row.getFieldRepetitionCount(column.name()) == 0 ? null : value(row, column));
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
