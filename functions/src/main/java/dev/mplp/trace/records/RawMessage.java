package dev.mplp.trace.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One input record as a source read it, before any parsing: the bytes, where they came from and when.
 * A Flink POJO.
 */
public class RawMessage {
    /** The record's bytes; possibly cut short by the source when the record exceeded its size limit. */
    public byte[] body;
    /** The size of the record as it was in the source, in bytes (larger than {@code body.length} when cut). */
    public long sizeBytes;
    /** {@code kafka:TOPIC/PARTITION@OFFSET} or {@code file:PATH:LINE}. */
    public String sourcePosition;
    /** Wall-clock time the source read the record, epoch milliseconds. */
    public long ingestTime;

    public RawMessage() {}

    public RawMessage(byte[] body, long sizeBytes, String sourcePosition, long ingestTime) {
        this.body = body;
        this.sizeBytes = sizeBytes;
        this.sourcePosition = sourcePosition;
        this.ingestTime = ingestTime;
    }

    public static RawMessage of(String text, String sourcePosition, long ingestTime) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new RawMessage(bytes, bytes.length, sourcePosition, ingestTime);
    }

    public boolean isTruncated() {
        return body != null && sizeBytes > body.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawMessage other)) {
            return false;
        }
        return sizeBytes == other.sizeBytes
                && ingestTime == other.ingestTime
                && Arrays.equals(body, other.body)
                && Objects.equals(sourcePosition, other.sourcePosition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(body), sizeBytes, sourcePosition, ingestTime);
    }

    @Override
    public String toString() {
        return "RawMessage{" + sourcePosition + ", " + sizeBytes + " bytes}";
    }
}
