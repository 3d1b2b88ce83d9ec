package dev.mplp.trace.records;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The four message types of the Trace Module protocol, with the payload object each one carries. */
public enum MessageType {
    START("trace.execution.start", "trace_start"),
    UPDATE("trace.execution.update", "trace_update"),
    COMPLETE("trace.execution.complete", "trace_completion"),
    METRICS("trace.metrics.collect", "metrics_collection");

    private final String wireName;
    private final String payloadField;

    MessageType(String wireName, String payloadField) {
        this.wireName = wireName;
        this.payloadField = payloadField;
    }

    /** The value of the envelope's {@code message_type}. */
    public String wireName() {
        return wireName;
    }

    /** The single field under {@code payload} that carries this type's body. */
    public String payloadField() {
        return payloadField;
    }

    public static Optional<MessageType> fromWireName(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
    }

    // looked up several times per message: a map rather than a stream over a copy of values()
    private static final Map<String, MessageType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(MessageType::wireName, t -> t));
}
