package dev.mplp.trace.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.TraceEvent;

/**
 * The JSON form of a message that arrived behind the watermark, as written to the late-messages output: it was
 * accepted (and archived) but left out of detection. {@code {message_id, message_type, trace_id, span_id,
 * event_time, ingest_time, source_position}}, times as ISO-8601 instants. The payload is not repeated: it is in
 * the archive.
 */
public final class LateMessageJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LateMessageJson() {}

    public static String toJson(TraceEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("message_id", event.messageId);
        node.put("message_type", event.messageType == null ? null : event.messageType.wireName());
        node.put("trace_id", event.traceId);
        node.put("span_id", event.spanId);
        node.put("event_time", JsonTimes.format(event.eventTime));
        node.put("ingest_time", JsonTimes.format(event.ingestTime));
        node.put("source_position", event.sourcePosition);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a late message as JSON", e);
        }
    }
}
