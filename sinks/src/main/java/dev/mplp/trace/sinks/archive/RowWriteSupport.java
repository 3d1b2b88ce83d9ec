package dev.mplp.trace.sinks.archive;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes records of an {@link ArchiveTable} straight from their fields into Parquet, column by column: no
 * intermediate row objects (Avro, Groups) per record. Marks each file with its table and schema version. When the
 * archive compacts part files of mixed schema versions, the rows it reads back from them arrive here as
 * {@link StoredRow}s and are written by value.
 */
final class RowWriteSupport<T> extends WriteSupport<T> {

    private final ArchiveTable<T> table;
    private RecordConsumer consumer;

    RowWriteSupport(ArchiveTable<T> table) {
        this.table = table;
    }

    @Override
    public String getName() {
        return "trace-analytics-" + table.name();
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(
                table.parquetSchema(),
                Map.of(
                        ArchiveTable.TABLE_KEY, table.name(),
                        ArchiveTable.SCHEMA_VERSION_KEY, Integer.toString(table.schemaVersion())));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(T record) {
        List<Column<T>> columns = table.columns();
        consumer.startMessage();
        for (int index = 0; index < columns.size(); index++) {
            Column<T> column = columns.get(index);
            Object value = record instanceof StoredRow stored ? stored.value(index) : column.getter().get(record);
            if (value == null) {
                if (column.required()) {
                    throw new IllegalArgumentException(
                            "archive table " + table.name() + ": required column " + column.name() + " is null");
                }
                continue;
            }
            consumer.startField(column.name(), index);
            writeValue(column.kind(), value);
            consumer.endField(column.name(), index);
        }
        consumer.endMessage();
    }

    private void writeValue(Column.Kind kind, Object value) {
        switch (kind) {
            // bytes are UTF-8 text already (a message's payload as received): written as they are, byte for byte
            case STRING -> consumer.addBinary(value instanceof byte[] bytes
                    ? Binary.fromConstantByteArray(bytes)
                    : Binary.fromString((String) value));
            case TIMESTAMP, INT64 -> consumer.addLong(((Number) value).longValue());
            case INT32 -> consumer.addInteger(((Number) value).intValue());
            case DOUBLE -> consumer.addDouble(((Number) value).doubleValue());
            case BOOLEAN -> consumer.addBoolean((Boolean) value);
            case STRING_LIST -> writeList((String[]) value);
        }
    }

    private void writeList(String[] elements) {
        consumer.startGroup();
        if (elements.length > 0) {
            consumer.startField(Column.LIST_GROUP, 0);
            for (String element : elements) {
                consumer.startGroup();
                if (element != null) {
                    consumer.startField(Column.LIST_ELEMENT, 0);
                    consumer.addBinary(Binary.fromString(element));
                    consumer.endField(Column.LIST_ELEMENT, 0);
                }
                consumer.endGroup();
            }
            consumer.endField(Column.LIST_GROUP, 0);
        }
        consumer.endGroup();
    }
}
