package dev.mplp.trace.protocol;

import dev.mplp.trace.records.MessageType;
import java.util.Optional;

/**
 * A Trace Module protocol message: the envelope common to the four message types, with the typed payload.
 *
 * <p>Bound by {@link dev.mplp.trace.json.Json#mapper()}; unknown fields are ignored (the original text is kept by
 * the caller for the lossless archive). Time fields stay ISO-8601 text here; {@link Timestamps} parses them, and
 * the ingest validator has checked every one of them before a message is accepted.
 *
 * @param messageType {@code message_type}: one of the {@link MessageType} wire names
 * @param protocolVersion {@code protocol_version}, e.g. {@code 1.0.0-alpha}
 * @param messageId {@code message_id}: unique per message (the duplicate filter keys on it)
 * @param timestamp {@code timestamp}: when the sender sent the message, ISO-8601 with offset
 * @param correlationId {@code correlation_id}, optional
 * @param sender {@code sender}
 * @param payload {@code payload}: carries exactly the body of the message's type
 * @param security {@code security}, optional
 */
public record TraceMessage(
        String messageType,
        String protocolVersion,
        String messageId,
        String timestamp,
        String correlationId,
        Sender sender,
        Payload payload,
        Security security) {

    /** The message type, empty when {@code message_type} is not one of the protocol's four. */
    public Optional<MessageType> type() {
        return MessageType.fromWireName(messageType);
    }

    /** The payload body of this message's type, or null when absent. */
    public SpanPayload body() {
        return payload == null ? null : type().map(payload::body).orElse(null);
    }

    /** {@code sender}. */
    public record Sender(String senderId, String senderType, Authentication authentication) {}

    /** {@code sender.authentication}. */
    public record Authentication(String method, String token, String serviceAccount) {}

    /** {@code security}. */
    public record Security(String messageSignature, String encryption, String integrityCheck) {}

    /**
     * {@code payload}: one field per message type (see {@link MessageType#payloadField()}); a valid message has
     * exactly the one of its type.
     */
    public record Payload(
            TraceStart traceStart,
            TraceUpdate traceUpdate,
            TraceCompletion traceCompletion,
            MetricsCollection metricsCollection) {

        /** The body the given message type carries, or null when absent. */
        public SpanPayload body(MessageType type) {
            return switch (type) {
                case START -> traceStart;
                case UPDATE -> traceUpdate;
                case COMPLETE -> traceCompletion;
                case METRICS -> metricsCollection;
            };
        }
    }
}
