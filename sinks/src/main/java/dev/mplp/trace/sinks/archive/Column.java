package dev.mplp.trace.sinks.archive;

import java.io.Serializable;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * One column of an archive table: its name, its Parquet type and how to read its value from a record. A null value
 * is written as a missing (null) value; a required column refuses it.
 */
public record Column<T>(String name, Kind kind, boolean required, Getter<T> getter) implements Serializable {

    /** Reads a column's value from a record; serializable so that the sink can travel to the task managers. */
    @FunctionalInterface
    public interface Getter<T> extends Serializable {
        Object get(T record);
    }

    /** The value types the archive writes, each with the Java type its getter returns. */
    public enum Kind {
        /** UTF-8 text ({@link String}, or its UTF-8 bytes as a {@code byte[]}, written as they are). */
        STRING,
        /** An instant in epoch milliseconds ({@link Long}), a Parquet {@code TIMESTAMP(MILLIS, UTC)}. */
        TIMESTAMP,
        /** {@link Long}. */
        INT64,
        /** {@link Integer}. */
        INT32,
        /** {@link Double}. */
        DOUBLE,
        /** {@link Boolean}. */
        BOOLEAN,
        /** A list of UTF-8 texts ({@code String[]}), as the standard three-level Parquet {@code LIST}. */
        STRING_LIST
    }

    /** The list element's group and field names of the standard Parquet {@code LIST} layout. */
    static final String LIST_GROUP = "list";

    static final String LIST_ELEMENT = "element";

    /** The Parquet type of this column. */
    Type parquetType() {
        Type.Repetition repetition = required ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL;
        return switch (kind) {
            case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType())
                    .named(name);
            case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                    .named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case STRING_LIST -> Types.buildGroup(repetition)
                    .as(LogicalTypeAnnotation.listType())
                    .repeatedGroup()
                    .optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.stringType())
                    .named(LIST_ELEMENT)
                    .named(LIST_GROUP)
                    .named(name);
        };
    }
}
