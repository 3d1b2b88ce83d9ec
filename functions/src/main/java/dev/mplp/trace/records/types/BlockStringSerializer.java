package dev.mplp.trace.records.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
 * the other), with an ASCII string written, and any string read, in one block. {@link StringSerializer} writes every
 * string a character at a time; a heap checkpoint writes through a synchronized stream, so that cost about 20 ns per
 * character, and the span session's keys (one per state entry and per timer), its spans' attributes and the messages
 * waiting in it made its checkpoints the job's largest cost per message. Ids, names and the generated attributes are
 * ASCII; any other string is written as Flink writes it.
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
        byte[] ascii = value == null ? null : asciiBytes(value);
        if (ascii == null) {
            StringValue.writeString(value, target);
            return;
        }
        // Flink's format: the length + 1 in base 128, low digits first, then one byte per character
        long lengthField = ascii.length + 1L;
        while (lengthField >= 0x80) {
            target.writeByte((int) (lengthField & 0x7F | 0x80));
            lengthField >>>= 7;
        }
        target.writeByte((int) lengthField);
        target.write(ascii);
    }

    /**
     * Reads Flink's format in one block as well: a string of n characters takes at least n bytes, so its first n bytes
     * are read at once; when they are all ASCII (each a character of its own) they are the string, otherwise the
     * characters from the first multi-byte one on are decoded from the rest of the block and then from the input.
     * {@link StringValue#readString} reads a byte per call, into a per-thread buffer it looks up per string.
     */
    @Override
    public String deserialize(DataInputView source) throws IOException {
        int first = source.readUnsignedByte();
        // a length under 127 takes one byte: no byte source object for it
        int lengthField = first < 0x80 ? first : readVarInt(first, source::readUnsignedByte);
        if (lengthField == 0) {
            return null;
        }
        int length = lengthField - 1;
        byte[] block = new byte[length];
        source.readFully(block);
        int ascii = 0;
        while (ascii < length && block[ascii] >= 0) {
            ascii++;
        }
        if (ascii == length) {
            return new String(block, 0, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        for (int i = 0; i < ascii; i++) {
            chars[i] = (char) block[i];
        }
        BlockThenInput rest = new BlockThenInput(block, ascii, source);
        for (int i = ascii; i < length; i++) {
            chars[i] = (char) readVarInt(rest.next(), rest);
        }
        return new String(chars);
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
     * The string's characters as bytes when every one is ASCII; null otherwise. The JDK's UTF-8 encoder copies an
     * ASCII string in one vectorized step (a loop of {@code charAt} was a tenth of the detection peers' samples); its
     * bytes are as many as the characters only when each is ASCII or an unpaired surrogate, which it writes as
     * {@code ?}.
     */
    private static byte[] asciiBytes(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length != value.length()) {
            return null;
        }
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '?' && value.charAt(i) != '?') {
                return null;
            }
        }
        return utf8;
    }

    /** Flink's variable-length int: 7 bits a byte, low bits first, the high bit set on every byte but the last. */
    private static int readVarInt(int first, ByteSource more) throws IOException {
        if (first < 0x80) {
            return first;
        }
        int value = first & 0x7F;
        int shift = 7;
        int next;
        while ((next = more.next()) >= 0x80) {
            value |= (next & 0x7F) << shift;
            shift += 7;
        }
        return value | next << shift;
    }

    /** The next unsigned byte of a string's encoding. */
    @FunctionalInterface
    private interface ByteSource {
        int next() throws IOException;
    }

    /** The rest of a block already read, then the input it came from. */
    private static final class BlockThenInput implements ByteSource {
        private final byte[] block;
        private int position;
        private final DataInputView source;

        BlockThenInput(byte[] block, int position, DataInputView source) {
            this.block = block;
            this.position = position;
            this.source = source;
        }

        @Override
        public int next() throws IOException {
            return position < block.length ? block[position++] & 0xFF : source.readUnsignedByte();
        }
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
