package dev.mplp.trace.generator;

import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One line of generated traffic, with what the generator knows about it (for tests, the demo and the benchmark).
 *
 * @param sequence the 0-based position in the output
 * @param eventTime the message's event time: its envelope {@code timestamp}
 * @param deliveryTime when it is delivered, in event time: the event time, later for a late or duplicate copy;
 *     non-decreasing along the output
 * @param type the message's type (a malformed record: the type of the message it replaced)
 * @param traceId the trace the message belongs to (metrics: the trace of the span it points at)
 * @param spanId the span the message belongs to (metrics: the span it points at)
 * @param service the span's service (metrics: the reporting service)
 * @param operation the span's operation; null for metrics
 * @param faults the faults that shaped this message; empty for normal traffic
 * @param malformation the {@link MalformedMessages} variant that replaced the message, else null
 * @param expectedReason what ingest should dead-letter this line as; null when it should accept it. A duplicate
 *     copy says {@code duplicate} (assuming its delay is within the consumer's duplicate window), unless the
 *     original was malformed, when it says the original's reason. Lateness is not a reason: a late line is valid
 * @param json the line: compact JSON (or a malformed record), without a line break
 */
public record GeneratedMessage(
        long sequence,
        Instant eventTime,
        Instant deliveryTime,
        MessageType type,
        String traceId,
        String spanId,
        String service,
        String operation,
        Set<FaultType> faults,
        String malformation,
        DeadLetterReason expectedReason,
        String json) {

    public GeneratedMessage {
        faults = faults.isEmpty()
                ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(faults));
    }

    /** {@code normal}, or the names of the faults that shaped the message joined by {@code +}. */
    public String kind() {
        if (faults.isEmpty()) {
            return "normal";
        }
        return faults.stream().map(FaultType::wireName).collect(Collectors.joining("+"));
    }

    /** True when a validator should accept this line (it may still be late, or carry injected anomalies). */
    public boolean isValid() {
        return expectedReason == null;
    }

    public boolean hasFault(FaultType fault) {
        return faults.contains(fault);
    }

    /** The line's size in UTF-8 bytes. */
    public int sizeBytes() {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    GeneratedMessage withSequence(long sequence) {
        return new GeneratedMessage(sequence, eventTime, deliveryTime, type, traceId, spanId, service, operation,
                faults, malformation, expectedReason, json);
    }

    GeneratedMessage withDelivery(Instant deliveryTime, Set<FaultType> faults, DeadLetterReason expectedReason) {
        return new GeneratedMessage(sequence, eventTime, deliveryTime, type, traceId, spanId, service, operation,
                faults, malformation, expectedReason, json);
    }

    /** The same message with another line (a signed copy). */
    GeneratedMessage withJson(String json) {
        return new GeneratedMessage(sequence, eventTime, deliveryTime, type, traceId, spanId, service, operation,
                faults, malformation, expectedReason, json);
    }

    @Override
    public String toString() {
        return "GeneratedMessage{#" + sequence + " " + (type == null ? "?" : type.wireName()) + " " + eventTime
                + " " + kind() + (malformation == null ? "" : " " + malformation) + "}";
    }
}
