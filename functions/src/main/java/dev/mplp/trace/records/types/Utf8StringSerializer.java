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

/**
 * Strings as one length and one block of bytes. Flink's {@link StringSerializer} writes a string a character at a
 * time; a heap checkpoint writes through a synchronized stream, so that cost about 20 ns per character, and the
 * attributes of the spans and messages the span session holds made its checkpoints the job's largest cost per
 * message. Lossless: UTF-8 when the string has no surrogate (the usual case), else its UTF-16 code units, so a
 * lone surrogate (which UTF-8 cannot hold) comes back as it was.
 *
 * <p>Format: a variable-length header, 0 for null, else {@code (length << 1 | utf16) + 1}, then the bytes. State
 * written by {@link StringSerializer} restores: Flink reads it with that serializer and writes it with this one.
 */
public final class Utf8StringSerializer extends TypeSerializerSingleton<String> {

    public static final Utf8StringSerializer INSTANCE = new Utf8StringSerializer();

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
        if (value == null) {
            writeHeader(0, target);
            return;
        }
        boolean utf16 = hasSurrogate(value);
        byte[] bytes = utf16 ? utf16Units(value) : value.getBytes(StandardCharsets.UTF_8);
        writeHeader(((long) bytes.length << 1 | (utf16 ? 1 : 0)) + 1, target);
        target.write(bytes);
    }

    @Override
    public String deserialize(DataInputView source) throws IOException {
        long header = readHeader(source);
        if (header == 0) {
            return null;
        }
        byte[] bytes = new byte[Math.toIntExact((header - 1) >>> 1)];
        source.readFully(bytes);
        return ((header - 1) & 1) == 0 ? new String(bytes, StandardCharsets.UTF_8) : fromUtf16Units(bytes);
    }

    @Override
    public String deserialize(String reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        long header = readHeader(source);
        writeHeader(header, target);
        if (header != 0) {
            target.write(source, Math.toIntExact((header - 1) >>> 1));
        }
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    private static boolean hasSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf16Units(String value) {
        byte[] bytes = new byte[2 * value.length()];
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            bytes[2 * i] = (byte) (c >>> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return bytes;
    }

    private static String fromUtf16Units(byte[] bytes) {
        char[] chars = new char[bytes.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF));
        }
        return new String(chars);
    }

    private static void writeHeader(long header, DataOutputView target) throws IOException {
        while ((header & ~0x7FL) != 0) {
            target.writeByte((int) (header & 0x7F) | 0x80);
            header >>>= 7;
        }
        target.writeByte((int) header);
    }

    private static long readHeader(DataInputView source) throws IOException {
        long header = 0;
        for (int shift = 0; ; shift += 7) {
            int b = source.readUnsignedByte();
            header |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return header;
            }
            if (shift > 35) {
                throw new IOException("corrupt string header: more than 6 bytes");
            }
        }
    }

    /** No configuration; state written by Flink's {@link StringSerializer} migrates to this one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }
}
