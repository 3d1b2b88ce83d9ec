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
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlockStringSerializerTest {

    private static final BlockStringSerializer SERIALIZER = BlockStringSerializer.INSTANCE;

    static Stream<String> strings() {
        return Stream.of(
                null,
                "",
                "4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7",
                // lengths around the one-, two- and three-byte length headers
                repeat('a', 126), repeat('b', 127), repeat('c', 128), repeat('d', 16_382), repeat('e', 16_383),
                repeat('f', 100_000),
                "\u007F is still ASCII",
                "{\"http.url\":\"/api/v1/catalog\",\"user.name\":\"Zoë Ødegård\"}",
                "emoji \uD83D\uDE80 in a pair",
                "a lone high surrogate \uD800 here",
                // a question mark, which is also what a lone surrogate becomes in UTF-8
                "/api/v1/catalog/search?q=shoes&page=2", "why? \uDC00", "\uD800",
                "\u0000 and \uFFFF",
                // characters of two and three bytes first, last, and making up the whole string
                "\u00e9t\u00e9", "caf\u00e9", "\u4e2d\u6587\u5b57", repeat('\u00ff', 130) + "ascii tail");
    }

    @ParameterizedTest
    @MethodSource("strings")
    void writesTheBytesFlinksStringSerializerWrites(String value) throws IOException {
        DataOutputSerializer ours = new DataOutputSerializer(16);
        SERIALIZER.serialize(value, ours);
        DataOutputSerializer flinks = new DataOutputSerializer(16);
        StringSerializer.INSTANCE.serialize(value, flinks);
        assertThat(ours.getCopyOfBuffer()).isEqualTo(flinks.getCopyOfBuffer());
        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(ours.getCopyOfBuffer()))).isEqualTo(value);
    }

    @Test
    void readsStringsOneAfterAnotherWithoutReadingIntoTheNext() throws IOException {
        DataOutputSerializer flinks = new DataOutputSerializer(64);
        for (String value : strings().toList()) {
            StringSerializer.INSTANCE.serialize(value, flinks);
        }
        flinks.writeInt(42);
        DataInputDeserializer in = new DataInputDeserializer(flinks.getCopyOfBuffer());
        for (String value : strings().toList()) {
            assertThat(SERIALIZER.deserialize(in)).isEqualTo(value);
        }
        assertThat(in.readInt()).as("the int after the strings").isEqualTo(42);
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        DataOutputSerializer original = new DataOutputSerializer(64);
        SERIALIZER.serialize("first \uD800", original);
        SERIALIZER.serialize(null, original);
        SERIALIZER.serialize(repeat('x', 300), original);
        DataInputDeserializer in = new DataInputDeserializer(original.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < 3; i++) {
            SERIALIZER.copy(in, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(original.getCopyOfBuffer());
    }

    @Test
    void stateWrittenByFlinksStringSerializerRestoresAsItIs() {
        TypeSerializerSnapshot<String> flinks = StringSerializer.INSTANCE.snapshotConfiguration();
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(flinks).isCompatibleAsIs()).isTrue();
        assertThat(SERIALIZER.snapshotConfiguration()
                        .resolveSchemaCompatibility(SERIALIZER.snapshotConfiguration())
                        .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void compactPojosKeepEveryFieldNoKryoAndPojoSchemaCompatibility() throws IOException {
        TypeInformation<TraceEvent> compact = CompactStrings.pojo(TraceEvent.class);
        assertThat(compact).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<TraceEvent> pojo = (PojoTypeInfo<TraceEvent>) compact;
        PojoTypeInfo<TraceEvent> plain = (PojoTypeInfo<TraceEvent>) TypeInformation.of(TraceEvent.class);
        assertThat(pojo.getArity()).isEqualTo(plain.getArity());
        assertThat(pojo.getPojoFieldAt(pojo.getFieldIndex("attributes")).getTypeInformation())
                .isEqualTo(BlockStringTypeInfo.INSTANCE);

        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<TraceEvent> serializer = compact.createSerializer(noKryo);
        TypeSerializer<TraceEvent> before = plain.createSerializer(noKryo);
        TraceEvent event = new TraceEvent();
        event.messageId = "msg-1";
        event.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        event.attributes = "{\"user.name\":\"Zoë\"}";
        event.eventTime = 1_757_000_000_000L;
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        DataOutputSerializer outBefore = new DataOutputSerializer(256);
        before.serialize(event, outBefore);
        assertThat(out.getCopyOfBuffer()).isEqualTo(outBefore.getCopyOfBuffer());
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(event);
        assertThat(serializer.snapshotConfiguration()
                        .resolveSchemaCompatibility(before.snapshotConfiguration())
                        .isCompatibleAsIs())
                .as("a span session's state from before restores without migration")
                .isTrue();

        assertThat(CompactStrings.pojo(SpanSession.OpenSpan.class)).isInstanceOf(PojoTypeInfo.class);
    }

    private static String repeat(char c, int times) {
        char[] chars = new char[times];
        Arrays.fill(chars, c);
        return new String(chars);
    }
}
