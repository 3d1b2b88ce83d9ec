package dev.mplp.trace.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.DeadLetter;

/**
 * The JSON form of a dead letter, as written to the dead-letter outputs:
 * {@code {reason, detail, message_id, source_position, ingest_time, raw_payload, raw_payload_bytes,
 * payload_truncated}}, with {@code ingest_time} as an ISO-8601 instant.
 */
public final class DeadLetterJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterJson() {}

    public static String toJson(DeadLetter letter) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("reason", letter.reason.wireName());
        node.put("detail", letter.detail);
        node.put("message_id", letter.messageId);
        node.put("source_position", letter.sourcePosition);
        node.put("ingest_time", JsonTimes.format(letter.ingestTime));
        node.put("raw_payload", letter.rawPayload);
        node.put("raw_payload_bytes", letter.rawPayloadBytes);
        node.put("payload_truncated", letter.payloadTruncated);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a dead letter as JSON", e);
        }
    }
}
