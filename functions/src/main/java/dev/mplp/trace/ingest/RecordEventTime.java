package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.protocol.Timestamps;
import dev.mplp.trace.records.MessageType;

/**
 * The event time of a rejected message, where it has one that can be read: the envelope's {@code timestamp} if it is
 * a valid ISO-8601 instant, else its body's own time ({@code start_time}, {@code update_timestamp}, ...), the same
 * precedence as an accepted message's event time ({@link TraceEventExtractor}). Null for a record that is no JSON
 * object or whose times are missing or invalid: its dead letter is placed by its ingest time instead.
 */
final class RecordEventTime {

    private RecordEventTime() {}

    static Long of(JsonNode message) {
        if (message == null || !message.isObject()) {
            return null;
        }
        Long envelope = instant(message.get("timestamp"));
        if (envelope != null) {
            return envelope;
        }
        JsonNode type = message.get("message_type");
        if (type == null || !type.isTextual()) {
            return null;
        }
        return MessageType.fromWireName(type.textValue())
                .map(known -> message.path("payload").path(known.payloadField()).get(PayloadRules.timeField(known)))
                .map(RecordEventTime::instant)
                .orElse(null);
    }

    private static Long instant(JsonNode value) {
        return value != null && value.isTextual() ? Timestamps.toEpochMilliOrNull(value.textValue()) : null;
    }
}
