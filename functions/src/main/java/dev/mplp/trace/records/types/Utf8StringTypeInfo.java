package dev.mplp.trace.records.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** A string field serialized by {@link Utf8StringSerializer}; see {@link CompactStrings}. Not usable as a key. */
public final class Utf8StringTypeInfo extends TypeInformation<String> {

    public static final Utf8StringTypeInfo INSTANCE = new Utf8StringTypeInfo();

    private static final long serialVersionUID = 1L;

    private Utf8StringTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<String> getTypeClass() {
        return String.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<String> createSerializer(SerializerConfig config) {
        return Utf8StringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "String (UTF-8 block)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof Utf8StringTypeInfo;
    }

    @Override
    public int hashCode() {
        return Utf8StringTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof Utf8StringTypeInfo;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
