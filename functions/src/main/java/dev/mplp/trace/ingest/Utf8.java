package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetterReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict decoding of accepted records, and the lenient, size-capped text of rejected ones. */
final class Utf8 {

    /** A record's text cut to a byte budget; {@code complete} when nothing was dropped. */
    record Cut(String text, boolean complete) {}

    private Utf8() {}

    /** The bytes as text, or a {@code malformed_json} rejection naming the offset of the first bad sequence. */
    static String decodeStrict(byte[] bytes) throws Rejection {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, "invalid UTF-8 at byte offset " + in.position());
        }
        return out.flip().toString();
    }

    /**
     * Whether {@link #decodeStrict} accepts the bytes; ASCII (every protocol message we have seen) in one scan, eight
     * bytes at a time.
     */
    static boolean isStrict(byte[] bytes) {
        if (isAscii(bytes)) {
            return true;
        }
        try {
            decodeStrict(bytes);
            return true;
        } catch (Rejection r) {
            return false;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** True when no byte has its high bit set. */
    static boolean isAscii(byte[] bytes) {
        int i = 0;
        for (int end = bytes.length - Long.BYTES; i <= end; i += Long.BYTES) {
            if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The longest prefix of the bytes, decoded leniently (bad sequences become U+FFFD), whose UTF-8 encoding fits
     * in {@code maxBytes}; multi-byte characters are never split.
     */
    static Cut prefix(byte[] bytes, int maxBytes) {
        int end = Math.min(bytes.length, Math.max(0, maxBytes));
        if (end < bytes.length) {
            // bytes[end] is the first byte left out: if it continues a sequence, leave out that sequence's start too
            for (int back = 0; back < 3 && end > 0 && (bytes[end] & 0xC0) == 0x80; back++) {
                end--;
            }
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        // a replacement character takes 3 bytes where the bad byte took 1: cut again on the encoded length
        int encoded = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = encodedLength(codePoint);
            if (encoded + size > maxBytes) {
                return new Cut(text.substring(0, i), false);
            }
            encoded += size;
            i += Character.charCount(codePoint);
        }
        return new Cut(text, end == bytes.length);
    }

    private static int encodedLength(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
