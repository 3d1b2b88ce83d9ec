package dev.mplp.trace.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An accepted protocol message (or one half, start or completion, of an OTLP span) as it flows through the jobs: the envelope, the span it belongs to, the limits and
 * values the detectors need, and the original JSON verbatim for the lossless archive. Built from the typed
 * protocol model by {@code TraceEventExtractor}. A Flink POJO: it travels between operators without Kryo.
 */
public class TraceEvent {
    public String messageId;
    public MessageType messageType;
    public String protocolVersion;
    /**
     * Event time, epoch milliseconds: the envelope {@code timestamp} (else the payload's own time field); both halves
     * of an OTLP span carry its end, when it was exported whole.
     */
    public long eventTime;
    /** Wall-clock time the source read the record, epoch milliseconds. */
    public long ingestTime;
    public String correlationId;
    public String senderId;
    public String traceId;
    public String spanId;
    /** Start messages only; null for a root span. */
    public String parentSpanId;
    /** Start messages only (the others do not carry it; the span lifecycle joins it in). */
    public String serviceName;
    /** Start messages only. */
    public String operationName;
    /** Start messages only: {@code span_kind}. */
    public String spanKind;
    /** Update {@code status}, completion {@code status}; null otherwise. */
    public String status;
    /** Completion only: {@code span_status.status_code} ({@code ok}, {@code error}, {@code unset}). */
    public String statusCode;
    /** Completion only: {@code execution_result.success}. */
    public Boolean success;
    /** Start messages only: the trace's own limits; null elsewhere. */
    public Thresholds thresholds;
    public Measurements measurements;
    /**
     * Start only: the span's attributes as a JSON object (values keep their JSON type), with the start's valid
     * W3C {@code trace_state} and {@code baggage} entries added as {@code tracestate.KEY} and {@code baggage.KEY};
     * null when the start gives none.
     */
    public String attributes;
    /** Start only: the resource's attributes as a JSON object ({@code service.name}, {@code host.name}, ...). */
    public String resourceAttributes;
    /** Start only: the W3C {@code tracestate} as received; its valid list members once validated. */
    public String traceState;
    /** Start only: the W3C {@code baggage} as received; its valid members once validated. */
    public String baggage;
    /**
     * Start only, from OTLP: the span's start, epoch milliseconds, where it is not the event time (an OTLP span
     * enters at its end, so that nothing of it waits behind the watermark for as long as it lasted); null otherwise.
     */
    public Long spanStartTime;
    /** Completion only: {@code span_status.status_message} (OTLP {@code status.message}). */
    public String statusMessage;
    /** Completion only, from OTLP: the span's {@code events} as an OTLP/JSON array; null when none. */
    public String events;
    /** Completion only, from OTLP: the span's {@code links} as an OTLP/JSON array; null when none. */
    public String links;
    /**
     * Completion only, from OTLP: what of the span the other fields cannot hold (flags, schema URLs, times to the
     * nanosecond, dropped counts, scope attributes, attributes with bytes values), as an OTLP {@code ResourceSpans}
     * with one scope and that one span, protobuf (only OTLP output reads it, and encoding it so costs a fraction of
     * OTLP/JSON); null for other messages.
     */
    public byte[] otlpResidual;
    /** {@code kafka:TOPIC/PARTITION@OFFSET} or {@code file:PATH:LINE}. */
    public String sourcePosition;
    /**
     * The message exactly as received: its UTF-8 JSON bytes, byte for byte (what the archive keeps). Bytes rather
     * than a String: nothing decodes it on the way, and it serializes as one copy at the shuffle before
     * {@code drop-payload}.
     */
    public byte[] payload;

    public TraceEvent() {}

    /**
     * A shallow copy without {@link #payload}: what the detectors read. They never look at the original JSON, which
     * is most of a message's bytes, so leaving it behind spares serializing it at every shuffle to them and holding
     * it in their state.
     */
    public TraceEvent withoutPayload() {
        TraceEvent copy = copy();
        copy.payload = null;
        return copy;
    }

    /**
     * {@link #withoutPayload()}, and without the span's details ({@link #dropSpanDetails}).
     */
    public TraceEvent withoutPayloadOrSpanDetails() {
        TraceEvent copy = withoutPayload();
        copy.dropSpanDetails();
        return copy;
    }

    /**
     * Leaves out, in this event, what only the span exports read at the completion (the OTLP span export, and the
     * span metrics' attribute dimensions): the start's attributes, resource attributes, trace state and baggage, the
     * completion's status message, events, links and OTLP residue. A span's session holds its start's fields until
     * the completion; the attributes alone were about 1.2 KB of its 2 KB of state, held for no output when no export
     * is on, and crossed the shuffles before it.
     */
    public void dropSpanDetails() {
        attributes = null;
        resourceAttributes = null;
        traceState = null;
        baggage = null;
        statusMessage = null;
        events = null;
        links = null;
        otlpResidual = null;
    }

    /** {@link #payload} as text; null when there is none. */
    public String payloadText() {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    /** A shallow copy: every field, the nested records shared. */
    public TraceEvent copy() {
        TraceEvent copy = new TraceEvent();
        copy.messageId = messageId;
        copy.messageType = messageType;
        copy.protocolVersion = protocolVersion;
        copy.eventTime = eventTime;
        copy.ingestTime = ingestTime;
        copy.correlationId = correlationId;
        copy.senderId = senderId;
        copy.traceId = traceId;
        copy.spanId = spanId;
        copy.parentSpanId = parentSpanId;
        copy.serviceName = serviceName;
        copy.operationName = operationName;
        copy.spanKind = spanKind;
        copy.status = status;
        copy.statusCode = statusCode;
        copy.success = success;
        copy.thresholds = thresholds;
        copy.measurements = measurements;
        copy.attributes = attributes;
        copy.resourceAttributes = resourceAttributes;
        copy.traceState = traceState;
        copy.baggage = baggage;
        copy.spanStartTime = spanStartTime;
        copy.statusMessage = statusMessage;
        copy.events = events;
        copy.links = links;
        copy.otlpResidual = otlpResidual;
        copy.sourcePosition = sourcePosition;
        copy.payload = payload;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TraceEvent other)) {
            return false;
        }
        return eventTime == other.eventTime
                && ingestTime == other.ingestTime
                && messageType == other.messageType
                && Objects.equals(messageId, other.messageId)
                && Objects.equals(protocolVersion, other.protocolVersion)
                && Objects.equals(correlationId, other.correlationId)
                && Objects.equals(senderId, other.senderId)
                && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId)
                && Objects.equals(parentSpanId, other.parentSpanId)
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(operationName, other.operationName)
                && Objects.equals(spanKind, other.spanKind)
                && Objects.equals(status, other.status)
                && Objects.equals(statusCode, other.statusCode)
                && Objects.equals(success, other.success)
                && Objects.equals(thresholds, other.thresholds)
                && Objects.equals(measurements, other.measurements)
                && Objects.equals(attributes, other.attributes)
                && Objects.equals(resourceAttributes, other.resourceAttributes)
                && Objects.equals(traceState, other.traceState)
                && Objects.equals(baggage, other.baggage)
                && Objects.equals(spanStartTime, other.spanStartTime)
                && Objects.equals(statusMessage, other.statusMessage)
                && Objects.equals(events, other.events)
                && Objects.equals(links, other.links)
                && Arrays.equals(otlpResidual, other.otlpResidual)
                && Objects.equals(sourcePosition, other.sourcePosition)
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, messageType, eventTime, traceId, spanId);
    }

    @Override
    public String toString() {
        return "TraceEvent{" + messageType + " " + messageId + " trace=" + traceId + " span=" + spanId + " at "
                + eventTime + "}";
    }
}
