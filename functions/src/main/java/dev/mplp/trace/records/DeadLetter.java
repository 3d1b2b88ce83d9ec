package dev.mplp.trace.records;

import java.util.Objects;

/**
 * A record that was not accepted, with the reason and enough of the original to replay it. Every input record
 * ends either as a {@link TraceEvent} or as exactly one of these. A Flink POJO.
 */
public class DeadLetter {
    public DeadLetterReason reason;
    /** The offending field's path ({@code payload.trace_start.span_id}) or a short description. */
    public String detail;
    /** The message's {@code message_id} where it could be read, else null. */
    public String messageId;
    /** Where the record came from: {@code kafka:TOPIC/PARTITION@OFFSET} or {@code file:PATH:LINE}. */
    public String sourcePosition;
    /** Wall-clock time the source read the record, epoch milliseconds. */
    public long ingestTime;
    /**
     * The record's event time, epoch milliseconds, where it has one that could be read (a duplicate's; a rejected
     * message's valid {@code timestamp}, else its body's own time), else null. The archive partitions by it.
     */
    public Long eventTime;
    /** The raw record as text, cut to {@code ingest.dead-letter-payload-bytes}. */
    public String rawPayload;
    /** The size of the raw record in bytes, before any cut. */
    public long rawPayloadBytes;
    /** True when {@code rawPayload} holds less than the whole record. */
    public boolean payloadTruncated;

    public DeadLetter() {}

    public DeadLetter(
            DeadLetterReason reason,
            String detail,
            String messageId,
            String sourcePosition,
            long ingestTime,
            String rawPayload,
            long rawPayloadBytes,
            boolean payloadTruncated) {
        this.reason = reason;
        this.detail = detail;
        this.messageId = messageId;
        this.sourcePosition = sourcePosition;
        this.ingestTime = ingestTime;
        this.rawPayload = rawPayload;
        this.rawPayloadBytes = rawPayloadBytes;
        this.payloadTruncated = payloadTruncated;
    }

    /** This dead letter with the record's event time (null: none could be read). */
    public DeadLetter withEventTime(Long recordEventTime) {
        this.eventTime = recordEventTime;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter other)) {
            return false;
        }
        return ingestTime == other.ingestTime
                && rawPayloadBytes == other.rawPayloadBytes
                && payloadTruncated == other.payloadTruncated
                && reason == other.reason
                && Objects.equals(eventTime, other.eventTime)
                && Objects.equals(detail, other.detail)
                && Objects.equals(messageId, other.messageId)
                && Objects.equals(sourcePosition, other.sourcePosition)
                && Objects.equals(rawPayload, other.rawPayload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, messageId, sourcePosition);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason.wireName() + " " + detail + " at " + sourcePosition + ", id=" + messageId + "}";
    }
}
