package dev.mplp.trace.records.types;

import java.io.IOException;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's own string format ({@link StringSerializer}'s bytes, so state and savepoints written by either read with
 * the other), with an ASCII string written in one block. {@link StringSerializer} writes every string a character
 * at a time; a heap checkpoint writes through a synchronized stream, so that cost about 20 ns per character, and the
 * span session's keys (one per state entry and per timer), its spans' attributes and the messages waiting in it made
 * its checkpoints the job's largest cost per message. Ids, names and the generated attributes are ASCII; any other
 * string is written as Flink writes it.
 */
public final class BlockStringSerializer extends TypeSerializerSingleton<String> {

    public static final BlockStringSerializer INSTANCE = new BlockStringSerializer();

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(String value, DataOutputView target) throws IOException {
        byte[] block = value == null ? null : asciiBlock(value);
        if (block == null) {
            StringValue.writeString(value, target);
        } else {
            target.write(block);
        }
    }

    @Override
    public String deserialize(DataInputView source) throws IOException {
        return StringValue.readString(source);
    }

    @Override
    public String deserialize(String reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StringValue.copyString(source, target);
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The string in Flink's format (its length + 1 in base 128, low digits first, then one byte per character)
     * when every character is ASCII; null otherwise.
     */
    private static byte[] asciiBlock(String value) {
        int length = value.length();
        int header = 1;
        for (long rest = (length + 1L) >>> 7; rest != 0; rest >>>= 7) {
            header++;
        }
        byte[] block = new byte[header + length];
        long lengthField = length + 1L;
        for (int i = 0; i < header - 1; i++) {
            block[i] = (byte) (lengthField & 0x7F | 0x80);
            lengthField >>>= 7;
        }
        block[header - 1] = (byte) lengthField;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            block[header + i] = (byte) c;
        }
        return block;
    }

    /** No configuration; the same bytes as {@link StringSerializer}, so either's state restores as it is. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }
}
