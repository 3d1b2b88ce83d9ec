package dev.mplp.trace.sinks.archive;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * One table of the Parquet archive: its directory name under the archive root, its columns, the schema version
 * written into each file's key-value metadata, and the event time that partitions its rows into
 * {@code dt=YYYY-MM-DD/hour=HH}. The tables are {@link MessagesTable}, {@link DeadLettersTable},
 * {@link AlertsTable}, {@link SpansTable} and {@link ServiceWindowsTable}.
 */
public final class ArchiveTable<T> implements Serializable {

    /** Key-value metadata key of every archive file: the schema version of its table. */
    public static final String SCHEMA_VERSION_KEY = "trace_analytics.schema_version";

    /** Key-value metadata key of every archive file: the name of its table. */
    public static final String TABLE_KEY = "trace_analytics.table";

    /** Reads the time (epoch milliseconds) that places a row in its partition. */
    @FunctionalInterface
    public interface PartitionTime<T> extends Serializable {
        long of(T record);
    }

    private final String name;
    private final int schemaVersion;
    private final PartitionTime<T> partitionTime;
    private final List<Column<T>> columns;
    private final Set<String> distinctPerRow;

    private ArchiveTable(String name, int schemaVersion, PartitionTime<T> partitionTime, List<Column<T>> columns,
            Set<String> distinctPerRow) {
        this.name = name;
        this.schemaVersion = schemaVersion;
        this.partitionTime = partitionTime;
        this.columns = List.copyOf(columns);
        this.distinctPerRow = distinctPerRow;
    }

    public static <T> Builder<T> builder(String name, int schemaVersion, PartitionTime<T> partitionTime) {
        return new Builder<>(name, schemaVersion, partitionTime);
    }

    public String name() {
        return name;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public long partitionTime(T record) {
        return partitionTime.of(record);
    }

    public List<Column<T>> columns() {
        return columns;
    }

    /**
     * The columns whose value differs in (nearly) every row, such as a message's original JSON: a dictionary cannot
     * shorten them, so they are written without trying one (hashing kilobytes per row for nothing).
     */
    public Set<String> distinctPerRow() {
        return distinctPerRow;
    }

    /** The Parquet schema: the columns in order, named after the table. */
    public MessageType parquetSchema() {
        List<Type> fields = new ArrayList<>(columns.size());
        columns.forEach(column -> fields.add(column.parquetType()));
        return new MessageType(name, fields);
    }

    /** Collects the columns of a table in order. */
    public static final class Builder<T> {
        private final String name;
        private final int schemaVersion;
        private final PartitionTime<T> partitionTime;
        private final List<Column<T>> columns = new ArrayList<>();
        private final List<String> distinctPerRow = new ArrayList<>();

        private Builder(String name, int schemaVersion, PartitionTime<T> partitionTime) {
            this.name = name;
            this.schemaVersion = schemaVersion;
            this.partitionTime = partitionTime;
        }

        public Builder<T> required(String column, Column.Kind kind, Column.Getter<T> getter) {
            return add(new Column<>(column, kind, true, getter));
        }

        public Builder<T> optional(String column, Column.Kind kind, Column.Getter<T> getter) {
            return add(new Column<>(column, kind, false, getter));
        }

        /** Marks a column added before as distinct in (nearly) every row: no dictionary encoding for it. */
        public Builder<T> distinctPerRow(String column) {
            if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                throw new IllegalArgumentException("table " + name + " has no column " + column);
            }
            distinctPerRow.add(column);
            return this;
        }

        private Builder<T> add(Column<T> column) {
            if (columns.stream().anyMatch(c -> c.name().equals(column.name()))) {
                throw new IllegalArgumentException("table " + name + " has two columns " + column.name());
            }
            columns.add(column);
            return this;
        }

        public ArchiveTable<T> build() {
            return new ArchiveTable<>(name, schemaVersion, partitionTime, columns, Set.copyOf(distinctPerRow));
        }
    }
}
