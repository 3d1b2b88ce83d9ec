package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.protocol.MetricsCollection;
import dev.mplp.trace.protocol.SpanPayload;
import dev.mplp.trace.protocol.TraceCompletion;
import dev.mplp.trace.protocol.TraceMessage;
import dev.mplp.trace.protocol.TraceStart;
import dev.mplp.trace.protocol.TraceUpdate;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ingest step's fast path: a record's bytes bound to the typed model ({@link TraceMessage}) in one pass of
 * Jackson's byte parser, checked on the typed values, and extracted to a {@link TraceEvent} whose payload is the very
 * bytes read. No text is decoded and no tree is built (the tree path parsed each message into a tree, then bound the
 * tree: two walks, the two largest costs of the ingest step in the profile).
 *
 * <p>It decides acceptance only. A record it cannot prove acceptable, whatever the reason (not strict UTF-8, a syntax
 * or binding error, a required field absent, null or blank, a number out of range, a bad time or id, a payload with
 * another field than its type's body), gives null, and {@link MessageValidator}'s tree checks, the reference, name the
 * reason and path as they always have: rejections stay exactly what they were, at the price of a second read of
 * records that are rejected anyway. What it proves for an accepted record is what the tree checks check (see
 * {@link MessageValidator}'s list): the typed model holds every value the checks look at, and a value of the wrong JSON
 * type fails the strict binding ({@link Json}) before any check sees it. OnePassOracleFuzzTest and
 * OnePassOracleCorpusTest hold it to the tree path on the malformed corpus, the generator's traffic and seeded
 * mutations: the same records accepted, with equal events.
 *
 * <p>Only for validation without security settings: the integrity and authentication checks and PII masking work on
 * the tree.
 */
final class OnePassReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final ObjectReader READER = singleBodyMapper().readerFor(TraceMessage.class);

    private final long maxMessageBytes;
    private final Set<String> protocolVersions;
    private final boolean spanAttributes;

    OnePassReader(long maxMessageBytes, Set<String> protocolVersions) {
        this(maxMessageBytes, protocolVersions, true);
    }

    /** @param spanAttributes false to leave a start's attributes out of its event ({@link TraceEventExtractor}) */
    OnePassReader(long maxMessageBytes, Set<String> protocolVersions, boolean spanAttributes) {
        this.maxMessageBytes = maxMessageBytes;
        this.protocolVersions = Set.copyOf(protocolVersions);
        this.spanAttributes = spanAttributes;
    }

    /**
     * The record's event when it is acceptable, else null (the tree checks then decide). A failure the record cannot
     * have caused (an exhausted heap) is thrown.
     */
    TraceEvent read(RawMessage raw, byte[] body) {
        if (raw.isTruncated() || Math.max(raw.sizeBytes, body.length) > maxMessageBytes || !readAsUtf8(body)
                || !Utf8.isStrict(body)) {
            return null;
        }
        TraceMessage message;
        try (JsonParser parser = READER.createParser(body)) {
            // duplicate names are found by UniqueNamesParser, without Jackson's set per object
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            message = READER.readValue(new UniqueNamesParser(parser));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return null;
        }
        if (message == null) {
            return null;
        }
        Optional<MessageType> type = message.type();
        if (type.isEmpty() || !holds(message, type.get())) {
            return null;
        }
        try {
            MessageValidator.checkTimesAndIds(message, type.get(), "payload." + type.get().payloadField());
        } catch (Rejection r) {
            return null;
        }
        return TraceEventExtractor.extract(message, body, raw.sourcePosition, raw.ingestTime, spanAttributes);
    }

    /** The envelope's and body's required fields and ranges, on the typed message. */
    private boolean holds(TraceMessage message, MessageType type) {
        SpanPayload body = message.body();
        return message.protocolVersion() != null && protocolVersions.contains(message.protocolVersion())
                && isName(message.messageId())
                && message.sender() != null && isName(message.sender().senderId())
                && body != null
                && (message.timestamp() != null || body.time() != null)
                && PayloadRules.holds(type, body);
    }

    private static boolean isName(String text) {
        return text != null && !text.isBlank();
    }

    /**
     * Whether Jackson's byte parser reads these bytes as UTF-8, as the tree path's strict decoding does: it takes a
     * leading byte order mark away, and reads UTF-16 or UTF-32 when one of the first bytes is zero (a zero byte is
     * valid UTF-8, so the tree path reads it as text, and rejects it).
     */
    private static boolean readAsUtf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            return false;
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The shared mapper, with a {@code payload} that must hold exactly one field, a non-null value (the typed model
     * would bind {@code "trace_update": null} or a second body silently, where the tree checks reject any field of the
     * payload but its type's body), and no number from an empty or blank string. Stricter than the tree path's
     * binding only where it would hide from the checks what they reject; a message with a blank string in a number
     * the checks do not read is accepted by the tree path instead (the fuzz test counts them).
     */
    private static JsonMapper singleBodyMapper() {
        JsonMapper mapper = Json.newMapper();
        // Jackson binds "" and "  " to a null number: the tree checks see a string where a detection number belongs
        for (LogicalType number : List.of(LogicalType.Float, LogicalType.Integer)) {
            mapper.coercionConfigFor(number)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
        mapper.registerModule(new SimpleModule("one-pass")
                .addDeserializer(TraceMessage.Payload.class, new SingleBodyPayload()));
        return mapper;
    }

    private static final class SingleBodyPayload extends StdDeserializer<TraceMessage.Payload> {
        private static final long serialVersionUID = 1L;

        SingleBodyPayload() {
            super(TraceMessage.Payload.class);
        }

        @Override
        public TraceMessage.Payload deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (TraceMessage.Payload) ctxt.handleUnexpectedToken(TraceMessage.Payload.class, p);
            }
            String field = p.nextFieldName();
            if (field == null || p.nextToken() == JsonToken.VALUE_NULL) {
                return ctxt.reportInputMismatch(this, "a payload holds exactly one body");
            }
            TraceMessage.Payload payload = switch (field) {
                case "trace_start" -> new TraceMessage.Payload(ctxt.readValue(p, TraceStart.class), null, null, null);
                case "trace_update" -> new TraceMessage.Payload(null, ctxt.readValue(p, TraceUpdate.class), null, null);
                case "trace_completion" ->
                        new TraceMessage.Payload(null, null, ctxt.readValue(p, TraceCompletion.class), null);
                case "metrics_collection" ->
                        new TraceMessage.Payload(null, null, null, ctxt.readValue(p, MetricsCollection.class));
                default -> null;
            };
            if (payload == null || p.nextToken() != JsonToken.END_OBJECT) {
                return ctxt.reportInputMismatch(this, "a payload holds exactly one body");
            }
            return payload;
        }
    }
}
