package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mplp.trace.json.Json;
import java.io.IOException;

/**
 * Reads the top-level {@code message_id} out of a record that cannot be accepted as a whole (too large, not
 * UTF-8, not valid JSON), streaming over at most the first {@value #SCAN_LIMIT_BYTES} bytes and giving up at the
 * first syntax error before it.
 */
final class MessageIdSniffer {

    static final int SCAN_LIMIT_BYTES = 64 * 1024;

    private MessageIdSniffer() {}

    /** The message id, or null when it is not a non-empty string in the readable part of the record. */
    static String sniff(byte[] body) {
        try (JsonParser parser = Json.mapper().getFactory()
                .createParser(body, 0, Math.min(body.length, SCAN_LIMIT_BYTES))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("message_id".equals(name) && value == JsonToken.VALUE_STRING) {
                    String id = parser.getText();
                    return id.isEmpty() ? null : id;
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // unreadable from here on: the id was not before this point
        }
        return null;
    }
}
