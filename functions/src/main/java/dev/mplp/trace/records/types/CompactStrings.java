package dev.mplp.trace.records.types;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

/**
 * A POJO's type information with its own string fields written by {@link BlockStringSerializer} (in one block when
 * ASCII) instead of a character at a time: for state that holds long strings (JSON attributes) and is checkpointed
 * whole on the heap. The same bytes and still a POJO serializer (no Kryo): state written before restores as it is,
 * and schema evolution keeps working; nested records keep their serializers.
 */
public final class CompactStrings {

    private CompactStrings() {}

    public static <T> TypeInformation<T> pojo(Class<T> type) {
        TypeInformation<T> info = TypeInformation.of(type);
        if (!(info instanceof PojoTypeInfo<T> pojo)) {
            throw new IllegalArgumentException(type.getName() + " is not a Flink POJO: " + info);
        }
        List<PojoField> fields = new ArrayList<>(pojo.getArity());
        for (int i = 0; i < pojo.getArity(); i++) {
            PojoField field = pojo.getPojoFieldAt(i);
            fields.add(Types.STRING.equals(field.getTypeInformation())
                    ? new PojoField(field.getField(), BlockStringTypeInfo.INSTANCE)
                    : field);
        }
        return new PojoTypeInfo<>(type, fields);
    }
}
