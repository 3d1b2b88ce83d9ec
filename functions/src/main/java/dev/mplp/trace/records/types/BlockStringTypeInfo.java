package dev.mplp.trace.records.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** A string serialized by {@link BlockStringSerializer} (Flink's string format): for keys and POJO fields ({@link CompactStrings}). */
public final class BlockStringTypeInfo extends TypeInformation<String> {

    public static final BlockStringTypeInfo INSTANCE = new BlockStringTypeInfo();

    private static final long serialVersionUID = 1L;

    private BlockStringTypeInfo() {}

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
        return true;
    }

    @Override
    public TypeSerializer<String> createSerializer(SerializerConfig config) {
        return BlockStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "String (ASCII in one block)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof BlockStringTypeInfo;
    }

    @Override
    public int hashCode() {
        return BlockStringTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof BlockStringTypeInfo;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
