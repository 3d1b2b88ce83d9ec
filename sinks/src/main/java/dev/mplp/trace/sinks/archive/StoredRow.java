package dev.mplp.trace.sinks.archive;

import java.util.List;

/**
 * A row of an archive table as a file holds it: each column's value, in the table's column order, as its
 * {@link Column.Kind}'s Java type (null where the row has none). What {@link CompactionReader} reads back from the
 * files it compacts, and what {@link RowWriteSupport} writes again unchanged: compaction needs no way back from
 * columns to records, so a new table is compacted with no code of its own.
 */
record StoredRow(List<Object> values) {

    Object value(int column) {
        return values.get(column);
    }
}
