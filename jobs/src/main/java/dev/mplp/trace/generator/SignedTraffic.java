package dev.mplp.trace.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.security.IntegrityKeys;
import dev.mplp.trace.security.MessageIntegrity;
import dev.mplp.trace.security.SecretException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Generated traffic with {@code security.integrity_check} set as {@link MessageIntegrity} defines it, under the key
 * of each message's {@code sender.sender_id} (see {@link IntegrityKeys}). Lines that are not a JSON object
 * with a sender (malformed faults) are left as they are: there is nothing to sign.
 */
public final class SignedTraffic implements Iterable<GeneratedMessage> {

    private final Iterable<GeneratedMessage> messages;
    private final IntegrityKeys keys;

    public SignedTraffic(Iterable<GeneratedMessage> messages, IntegrityKeys keys) {
        this.messages = messages;
        this.keys = keys;
    }

    @Override
    public Iterator<GeneratedMessage> iterator() {
        Iterator<GeneratedMessage> source = messages.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public GeneratedMessage next() {
                GeneratedMessage message = source.next();
                return message.withJson(sign(message.json()));
            }
        };
    }

    private String sign(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
        JsonNode senderId = root == null ? null : root.path("sender").path("sender_id");
        if (!(root instanceof ObjectNode envelope) || !senderId.isTextual()) {
            return json;
        }
        byte[] key = keys.key(senderId.textValue());
        if (key == null) {
            throw new SecretException("no signing key for sender " + senderId.textValue() + " and no "
                    + IntegrityKeys.ANY_SENDER + " entry");
        }
        MessageIntegrity.sign(envelope, key);
        try {
            return Json.mapper().writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
