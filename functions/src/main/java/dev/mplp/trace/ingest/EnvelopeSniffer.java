package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.protocol.Timestamps;
import java.io.IOException;

/**
 * Reads one top-level string of a record's envelope without parsing the record: streaming over at most the first
 * {@value #SCAN_LIMIT_BYTES} bytes, skipping the values before it, and giving up at the first syntax error. For the
 * {@code message_id} of a record that cannot be accepted as a whole (too large, not UTF-8, not valid JSON), and for
 * the envelope {@code timestamp} a file source orders its files' lines by before they are parsed.
 */
public final class EnvelopeSniffer {

    static final int SCAN_LIMIT_BYTES = 64 * 1024;

    private EnvelopeSniffer() {}

    /** The message id, or null when it is not a non-empty string in the readable part of the record. */
    static String messageId(byte[] body) {
        String id = topLevelText(body, "message_id");
        return id == null || id.isEmpty() ? null : id;
    }

    /**
     * The envelope {@code timestamp} in epoch milliseconds (an accepted message's event time, which takes it first),
     * or null when it is not a valid protocol time in the readable part of the record.
     */
    public static Long timestamp(byte[] body) {
        return Timestamps.toEpochMilliOrNull(topLevelText(body, "timestamp"));
    }

    private static String topLevelText(byte[] body, String field) {
        try (JsonParser parser = Json.mapper().getFactory()
                .createParser(body, 0, Math.min(body.length, SCAN_LIMIT_BYTES))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // unreadable from here on: the field was not before this point
        }
        return null;
    }
}
