package dev.mplp.trace.records.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.TraceEvent;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Utf8StringSerializerTest {

    private static final Utf8StringSerializer SERIALIZER = Utf8StringSerializer.INSTANCE;

    static Stream<String> strings() {
        char[] longValue = new char[100_000];
        Arrays.fill(longValue, 'x');
        return Stream.of(
                "",
                "4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7",
                "{\"http.url\":\"/api/v1/catalog\",\"user.name\":\"Zoë Ødegård\"}",
                "emoji \uD83D\uDE80 in a pair",
                "a lone high surrogate \uD800 here",
                "a lone low surrogate \uDC00",
                "\u0000 and \uFFFF",
                new String(longValue));
    }

    @ParameterizedTest
    @MethodSource("strings")
    void everyStringComesBackAsItWas(String value) throws IOException {
        assertThat(roundTrip(value)).isEqualTo(value);
    }

    @Test
    void nullComesBackAsNull() throws IOException {
        assertThat(roundTrip(null)).isNull();
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        DataOutputSerializer original = new DataOutputSerializer(64);
        SERIALIZER.serialize("first \uD800", original);
        SERIALIZER.serialize(null, original);
        SERIALIZER.serialize("third, UTF-8 ünïcode", original);
        DataInputDeserializer in = new DataInputDeserializer(original.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < 3; i++) {
            SERIALIZER.copy(in, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(original.getCopyOfBuffer());
    }

    @Test
    void aBlockIsAsSmallAsFlinksCharacterEncodingForAscii() throws IOException {
        String attributes = "{\"service.name\":\"catalog\",\"deployment.environment\":\"production\"}";
        DataOutputSerializer ours = new DataOutputSerializer(64);
        SERIALIZER.serialize(attributes, ours);
        DataOutputSerializer flinks = new DataOutputSerializer(64);
        StringSerializer.INSTANCE.serialize(attributes, flinks);
        // a header of 2 bytes from 64 up to 8,191 bytes (one bit says UTF-8 or UTF-16), then the bytes
        assertThat(ours.length()).isEqualTo(attributes.length() + 2).isLessThanOrEqualTo(flinks.length() + 1);
    }

    @Test
    void stateWrittenByFlinksStringSerializerMigrates() {
        TypeSerializerSnapshot<String> flinks = StringSerializer.INSTANCE.snapshotConfiguration();
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(flinks).isCompatibleAfterMigration())
                .isTrue();
        TypeSerializerSchemaCompatibility<String> same =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(SERIALIZER.snapshotConfiguration());
        assertThat(same.isCompatibleAsIs()).isTrue();
    }

    @Test
    void compactPojosKeepEveryFieldAndNoKryo() throws IOException {
        TypeInformation<TraceEvent> compact = CompactStrings.pojo(TraceEvent.class);
        assertThat(compact).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<TraceEvent> pojo = (PojoTypeInfo<TraceEvent>) compact;
        PojoTypeInfo<TraceEvent> plain = (PojoTypeInfo<TraceEvent>) TypeInformation.of(TraceEvent.class);
        assertThat(pojo.getArity()).isEqualTo(plain.getArity());
        assertThat(pojo.getPojoFieldAt(pojo.getFieldIndex("attributes")).getTypeInformation())
                .isEqualTo(Utf8StringTypeInfo.INSTANCE);

        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<TraceEvent> serializer = compact.createSerializer(noKryo);
        TraceEvent event = new TraceEvent();
        event.messageId = "msg-1";
        event.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        event.attributes = "{\"user.name\":\"Zoë\"}";
        event.eventTime = 1_757_000_000_000L;
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(event);

        assertThat(CompactStrings.pojo(SpanSession.OpenSpan.class)).isInstanceOf(PojoTypeInfo.class);
    }

    private static String roundTrip(String value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        SERIALIZER.serialize(value, out);
        return SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
