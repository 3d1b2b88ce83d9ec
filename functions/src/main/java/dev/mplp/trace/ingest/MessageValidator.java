package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.protocol.SpanPayload;
import dev.mplp.trace.protocol.TraceMessage;
import dev.mplp.trace.protocol.TraceStart;
import dev.mplp.trace.protocol.Timestamps;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.SecurityCheck;
import dev.mplp.trace.config.SecurityConfig;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, for each raw record, whether it is an acceptable protocol message: accepted records become a
 * {@link dev.mplp.trace.records.TraceEvent} (via {@link TraceEventExtractor}), the others exactly one
 * {@link DeadLetter}. Never throws, whatever the bytes.
 *
 * <p>The checks, in this order (the first that fails names the dead letter's reason; {@code detail} as shown,
 * paths use the JSON names, with {@code BODY} for {@code payload.trace_start}, {@code payload.trace_update},
 * {@code payload.trace_completion} or {@code payload.metrics_collection}):
 *
 * <ol>
 *   <li>{@code oversize}: the record is larger than {@code maxMessageBytes}, or the source cut it short. Not
 *       parsed. Detail: the size and the limit.
 *   <li>{@code malformed_json}: not strict UTF-8 (detail: the byte offset), empty, not JSON, content after the
 *       top-level value, a key twice in one object (detail: the parser's message with line and column), or the
 *       top level is not an object.
 *   <li>{@code message_type}: absent or null is {@code missing_field message_type}, not a string
 *       {@code invalid_type message_type}, none of the four {@code unknown_message_type} (detail: the value).
 *   <li>{@code protocol_version}: absent or null {@code missing_field}, not a string {@code invalid_type}, not one
 *       of the configured versions {@code unsupported_protocol_version} (detail: the value).
 *   <li>{@code missing_field} (absent or null) / {@code invalid_type} (other JSON type, blank where a name is
 *       needed, out of range), detail = the path: {@code message_id} (non-blank string); {@code timestamp}
 *       (string; required only when the body's own time field is absent: the event time falls back to it);
 *       {@code sender} (object), {@code sender.sender_id} (non-blank string); {@code payload} (object);
 *       {@code BODY} (object); every other field of {@code payload} is an {@code invalid_type} (a payload carries
 *       exactly its type's body); then the body's required strings (see {@link PayloadRules}): start
 *       {@code trace_id, span_id, operation_name, service_name, start_time}; update
 *       {@code trace_id, span_id, update_timestamp, status}; completion
 *       {@code trace_id, span_id, completion_timestamp, status}; metrics
 *       {@code trace_id, span_id, collection_timestamp}; then the detection numbers, when present: a number,
 *       finite, not negative, percentages at most 100, counts integral, {@code failed_operations} at most
 *       {@code total_operations}; finally binding to {@link TraceMessage}, whose first type error (a string for
 *       a number, a number for a string, an array for an object, 1.5 for an integer...) is an
 *       {@code invalid_type} at its path ({@code BODY.span_logs[1].log_level}).
 *   <li>{@code invalid_timestamp}: {@code timestamp} and every time field of the body, in document order
 *       ({@code BODY.start_time}, {@code BODY.span_events[0].event_timestamp}, ...), must be ISO-8601 with an
 *       offset or {@code Z} (see {@link Timestamps}).
 *   <li>{@code invalid_trace_id}: {@code BODY.trace_id} is not 32 lowercase hex digits or is all zeros.
 *   <li>{@code invalid_span_id}: {@code BODY.span_id}, then (start only, when not null)
 *       {@code payload.trace_start.parent_span_id}, is not 16 lowercase hex digits or is all zeros.
 *   <li>{@code integrity_failed}, then {@code auth_failed}: the {@link MessageSecurity} checks of the message as
 *       received, in {@code require} mode (in {@code verify} mode a failure is only listed in
 *       {@link Validated#unverified()}).
 * </ol>
 *
 * <p>Anything else that goes wrong with one record (a gap in these checks, a stack overflow) is an
 * {@code internal_error} with the exception's class as {@code detail} (see {@link RecordFailures}).
 *
 * <p>With PII masking on, the checks above read the message as sent (so a wrong type stays an
 * {@code invalid_type} whether masking is on or off), then everything that leaves the validator (the accepted
 * event with its payload, and a dead letter's payload, detail and {@code message_id}) is masked: this is the one
 * place where records enter the jobs, so no output sees the personal data. Every step takes time linear in the
 * record's size; an unparsed record is cut before it is masked.
 *
 * <p>How: an acceptable message is read in one pass ({@link OnePassReader}: its bytes bound straight to the typed
 * model and checked there), when no security setting needs the tree; a record it cannot prove acceptable, and every
 * record under the security settings, goes through the checks above on a tree ({@link #validateByTree}), which name
 * each rejection's reason and path. Both give the same decision and the same event for every record (the oracle
 * tests). The accepted event's payload is the record's bytes as received.
 *
 * <p>Duplicates are not this class's concern. Every dead letter carries the record's source position and ingest
 * time, its event time where one could be read ({@link RecordEventTime}), its {@code message_id} where one could be
 * read (for unparsable records, from a streaming scan of the start of the record), and the record's text decoded
 * leniently and cut to {@code deadLetterPayloadBytes} bytes of UTF-8 without splitting a character.
 */
public class MessageValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longest {@code detail}: the parser's messages and the offending values are cut to this many characters. */
    static final int MAX_DETAIL_CHARS = 300;

    /**
     * How much more of an unparsed record than its dead letter keeps is masked: a value of personal data that
     * starts inside the kept part is masked whole up to this length (a longer one is cut at the end of the text,
     * and an attribute key's value without its closing quote is masked to the end).
     */
    static final int MASKING_MARGIN_BYTES = 4096;

    private static final ObjectReader MESSAGE_READER = Json.mapper().readerFor(TraceMessage.class);

    private final long maxMessageBytes;
    private final int deadLetterPayloadBytes;
    private final Set<String> protocolVersions;
    private final MessageSecurity security;
    private final boolean spanAttributes;
    /** The fast path for messages without security settings; null when a check or the masking needs the tree. */
    private final OnePassReader onePass;

    /**
     * @param maxMessageBytes larger records are {@code oversize}; at least 1
     * @param deadLetterPayloadBytes the most bytes of a rejected record its dead letter keeps; 0 or more
     * @param protocolVersions the accepted {@code protocol_version} values; not empty
     */
    public MessageValidator(long maxMessageBytes, int deadLetterPayloadBytes, Set<String> protocolVersions) {
        this(maxMessageBytes, deadLetterPayloadBytes, protocolVersions, MessageSecurity.none());
    }

    /** @param security integrity and authentication checks and PII masking */
    public MessageValidator(
            long maxMessageBytes, int deadLetterPayloadBytes, Set<String> protocolVersions, MessageSecurity security) {
        this(maxMessageBytes, deadLetterPayloadBytes, protocolVersions, security, true);
    }

    /**
     * @param spanAttributes false to leave a start's span and resource attributes out of its event: they are still
     *     read and checked, not written again as JSON (a job without an output that reads them drops them anyway,
     *     {@link TraceEvent#dropSpanDetails})
     */
    public MessageValidator(long maxMessageBytes, int deadLetterPayloadBytes, Set<String> protocolVersions,
            MessageSecurity security, boolean spanAttributes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1: " + maxMessageBytes);
        }
        if (deadLetterPayloadBytes < 0) {
            throw new IllegalArgumentException("deadLetterPayloadBytes must not be negative: " + deadLetterPayloadBytes);
        }
        if (protocolVersions == null || protocolVersions.isEmpty()) {
            throw new IllegalArgumentException("at least one protocol version is needed");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
        this.protocolVersions = Set.copyOf(protocolVersions);
        this.security = security;
        this.spanAttributes = spanAttributes;
        this.onePass = security.readsTree()
                ? null
                : new OnePassReader(maxMessageBytes, this.protocolVersions, spanAttributes);
    }

    /**
     * Accepts the record as a trace event or rejects it as a dead letter. Throws only for a failure that is not the
     * record's doing (see {@link RecordFailures}); any other becomes an {@code internal_error} dead letter.
     */
    public Validated validate(RawMessage raw) {
        if (raw == null) {
            return Validated.rejected(new DeadLetter(
                    DeadLetterReason.MALFORMED_JSON, "no record", null, null, 0L, "", 0L, false));
        }
        byte[] body = raw.body == null ? new byte[0] : raw.body;
        if (onePass != null) {
            TraceEvent event = onePass.read(raw, body);
            if (event != null) {
                return Validated.accepted(event);
            }
        }
        return validateByTree(raw, body);
    }

    /**
     * The reference: the record's text parsed into a tree, each check on the tree in the order above, then bound to
     * the typed model. Every rejection and every message under the security settings goes this way; the one-pass
     * read must accept exactly what this accepts, with the same event (OnePassOracleFuzzTest, OnePassOracleCorpusTest).
     * Public for those tests and the benchmark's comparison.
     */
    public Validated validateByTree(RawMessage raw) {
        return validateByTree(raw, raw.body == null ? new byte[0] : raw.body);
    }

    private Validated validateByTree(RawMessage raw, byte[] body) {
        try {
            return check(raw, body);
        } catch (Throwable failure) {
            String detail = RecordFailures.recordsFault(failure, raw);
            try {
                return reject(raw, body, DeadLetterReason.INTERNAL_ERROR, detail, EnvelopeSniffer.messageId(body), null);
            } catch (Throwable again) {
                // the failure lies in masking or in writing the dead letter: keep nothing that might be unmasked
                return Validated.rejected(RecordFailures.deadLetter(raw, RecordFailures.recordsFault(again, raw)));
            }
        }
    }

    private Validated check(RawMessage raw, byte[] body) throws IOException {
        long size = Math.max(raw.sizeBytes, body.length);
        if (size > maxMessageBytes || raw.isTruncated()) {
            return reject(raw, body, DeadLetterReason.OVERSIZE, oversize(raw, body, size),
                    EnvelopeSniffer.messageId(body), null);
        }
        String text;
        JsonNode root;
        try {
            text = Utf8.decodeStrict(body);
            root = parseObject(text);
        } catch (Rejection r) {
            return reject(raw, body, r.reason, r.detail, EnvelopeSniffer.messageId(body), null);
        }
        try {
            // the checks read the message as sent: masking turns any value of an attribute key into a string
            TraceMessage message = check(root);
            // signatures and tokens cover the message as the sender wrote it, before masking
            Set<SecurityCheck> unverified = verify(root, raw.ingestTime);
            byte[] payload = body;
            if (security.masksPii()) {
                JsonNode masked = security.mask(root.deepCopy());
                message = bind(masked, "payload");
                payload = Json.mapper().writeValueAsBytes(masked);
            }
            TraceEvent event = TraceEventExtractor.extract(
                    message, payload, raw.sourcePosition, raw.ingestTime, spanAttributes);
            return unverified.isEmpty() ? Validated.accepted(event) : Validated.acceptedUnverified(event, unverified);
        } catch (Rejection r) {
            return reject(raw, body, r.reason, r.detail, messageId(root), root);
        }
    }

    /** The parsed record's {@code message_id} when it is a non-empty string, else null. */
    private static String messageId(JsonNode root) {
        JsonNode id = root == null ? null : root.get("message_id");
        return id != null && id.isTextual() && !id.textValue().isEmpty() ? id.textValue() : null;
    }

    /** The security checks in order; a {@code require}-mode failure rejects, a {@code verify}-mode one is listed. */
    private Set<SecurityCheck> verify(JsonNode envelope, long readTime) throws Rejection {
        Set<SecurityCheck> unverified = EnumSet.noneOf(SecurityCheck.class);
        for (SecurityCheck check : SecurityCheck.values()) {
            String failure = security.failure(check, envelope, readTime);
            if (failure == null) {
                continue;
            }
            if (security.mode(check) == SecurityConfig.Mode.REQUIRE) {
                throw new Rejection(check == SecurityCheck.INTEGRITY
                        ? DeadLetterReason.INTEGRITY_FAILED
                        : DeadLetterReason.AUTH_FAILED, failure);
            }
            unverified.add(check);
        }
        return unverified;
    }

    private String oversize(RawMessage raw, byte[] body, long size) {
        String cut = raw.isTruncated() ? ", cut by the source to " + body.length + " bytes" : "";
        return size + " bytes" + cut + " (limit " + maxMessageBytes + " bytes)";
    }

    /**
     * The dead letter. With masking on, its payload is the masked record: the masked tree of a parsed record (at
     * most {@code maxMessageBytes}), else the masked text of a prefix a little longer than the dead letter keeps,
     * so that the time masking takes is bounded by the dead letter's size, not the record's.
     */
    private Validated reject(
            RawMessage raw, byte[] body, DeadLetterReason reason, String detail, String messageId, JsonNode parsed)
            throws IOException {
        byte[] kept = body;
        boolean prefixOnly = false;
        if (security.masksPii()) {
            String text;
            if (parsed != null) {
                text = Json.mapper().writeValueAsString(security.mask(parsed.deepCopy()));
            } else {
                Utf8.Cut prefix = Utf8.prefix(body, deadLetterPayloadBytes + MASKING_MARGIN_BYTES);
                prefixOnly = !prefix.complete();
                text = security.maskText(prefix.text());
            }
            kept = text.getBytes(StandardCharsets.UTF_8);
        }
        Utf8.Cut cut = Utf8.prefix(kept, deadLetterPayloadBytes);
        return Validated.rejected(new DeadLetter(
                reason,
                cap(security.maskText(cap(detail, MASKING_MARGIN_BYTES)), MAX_DETAIL_CHARS),
                security.maskText(messageId),
                raw.sourcePosition,
                raw.ingestTime,
                cut.text(),
                Math.max(raw.sizeBytes, body.length),
                !cut.complete() || raw.isTruncated() || prefixOnly)
                .withEventTime(RecordEventTime.of(parsed)));
    }

    // ---- parsing

    private static JsonNode parseObject(String text) throws Rejection {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, parserMessage(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, "empty message");
        }
        if (!root.isObject()) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON,
                    "top level is " + root.getNodeType().name().toLowerCase() + ", not an object");
        }
        return root;
    }

    private static String parserMessage(JacksonException e) {
        String message = cap(e.getOriginalMessage(), MAX_DETAIL_CHARS);
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? message
                : message + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // ---- checks

    private TraceMessage check(JsonNode envelope) throws Rejection {
        MessageType type = messageType(envelope);
        protocolVersion(envelope);

        requiredText(envelope, "message_id", "message_id", true);
        String bodyField = type.payloadField();
        String bodyPath = "payload." + bodyField;
        JsonNode timestamp = envelope.get("timestamp");
        if (isAbsent(timestamp)) {
            if (isAbsent(envelope.path("payload").path(bodyField).get(PayloadRules.timeField(type)))) {
                throw new Rejection(DeadLetterReason.MISSING_FIELD, "timestamp");
            }
        } else if (!timestamp.isTextual()) {
            throw new Rejection(DeadLetterReason.INVALID_TYPE, "timestamp");
        }
        JsonNode sender = requiredObject(envelope, "sender", "sender");
        requiredText(sender, "sender_id", "sender.sender_id", true);

        JsonNode payload = requiredObject(envelope, "payload", "payload");
        JsonNode body = requiredObject(payload, bodyField, bodyPath);
        for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(bodyField)) {
                throw new Rejection(DeadLetterReason.INVALID_TYPE, "payload." + name);
            }
        }
        for (PayloadRules.Required required : PayloadRules.required(type)) {
            requiredText(body, required.field(), bodyPath + "." + required.field(),
                    required.text() == PayloadRules.Text.NAME);
        }
        PayloadRules.checkMeasured(type, body, bodyPath);

        TraceMessage message = bind(envelope, bodyPath);
        checkTimesAndIds(message, type, bodyPath);
        return message;
    }

    /** The checks of the typed message after binding: its times, then its trace and span ids. */
    static void checkTimesAndIds(TraceMessage message, MessageType type, String bodyPath) throws Rejection {
        SpanPayload typed = message.payload().body(type);
        checkTimes(message, type, typed, bodyPath);
        if (!isHexId(typed.traceId(), 32)) {
            throw new Rejection(DeadLetterReason.INVALID_TRACE_ID, bodyPath + ".trace_id");
        }
        if (!isHexId(typed.spanId(), 16)) {
            throw new Rejection(DeadLetterReason.INVALID_SPAN_ID, bodyPath + ".span_id");
        }
        if (typed instanceof TraceStart start && start.parentSpanId() != null && !isHexId(start.parentSpanId(), 16)) {
            throw new Rejection(DeadLetterReason.INVALID_SPAN_ID, bodyPath + ".parent_span_id");
        }
    }

    private static MessageType messageType(JsonNode envelope) throws Rejection {
        String wireName = requiredText(envelope, "message_type", "message_type", false);
        return MessageType.fromWireName(wireName).orElseThrow(() -> new Rejection(
                DeadLetterReason.UNKNOWN_MESSAGE_TYPE, "message_type \"" + wireName + "\""));
    }

    private void protocolVersion(JsonNode envelope) throws Rejection {
        String version = requiredText(envelope, "protocol_version", "protocol_version", false);
        if (!protocolVersions.contains(version)) {
            throw new Rejection(DeadLetterReason.UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol_version \"" + version + "\" (supported: "
                            + String.join(", ", new TreeSet<>(protocolVersions)) + ")");
        }
    }

    private static String requiredText(JsonNode parent, String field, String path, boolean nonBlank)
            throws Rejection {
        JsonNode node = parent.get(field);
        if (isAbsent(node)) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path);
        }
        if (!node.isTextual() || (nonBlank && node.textValue().isBlank())) {
            throw new Rejection(DeadLetterReason.INVALID_TYPE, path);
        }
        return node.textValue();
    }

    private static JsonNode requiredObject(JsonNode parent, String field, String path) throws Rejection {
        JsonNode node = parent.get(field);
        if (isAbsent(node)) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path);
        }
        if (!node.isObject()) {
            throw new Rejection(DeadLetterReason.INVALID_TYPE, path);
        }
        return node;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static TraceMessage bind(JsonNode envelope, String bodyPath) throws Rejection {
        JsonParser parser = MESSAGE_READER.treeAsTokens(envelope);
        try (parser) {
            return MESSAGE_READER.readValue(parser);
        } catch (JsonMappingException e) {
            String path = path(e.getPath());
            throw new Rejection(DeadLetterReason.INVALID_TYPE, path.isEmpty() ? path(parser, bodyPath) : path);
        } catch (IOException e) {
            // not a mapping error (a number out of range of its Java type): the parser knows where it was
            throw new Rejection(DeadLetterReason.INVALID_TYPE, path(parser, bodyPath));
        }
    }

    private static void checkTimes(TraceMessage message, MessageType type, SpanPayload body, String bodyPath)
            throws Rejection {
        if (message.timestamp() != null && !Timestamps.isValid(message.timestamp())) {
            throw new Rejection(DeadLetterReason.INVALID_TIMESTAMP, "timestamp");
        }
        String[] invalid = new String[1];
        PayloadRules.forEachTime(type, body, bodyPath, (path, time) -> {
            if (invalid[0] == null && time != null && !Timestamps.isValid(time)) {
                invalid[0] = path;
            }
        });
        if (invalid[0] != null) {
            throw new Rejection(DeadLetterReason.INVALID_TIMESTAMP, invalid[0]);
        }
    }

    /** W3C trace context ids: {@code length} lowercase hex digits, not all zeros. */
    static boolean isHexId(String id, int length) {
        if (id == null || id.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    // ---- paths

    /** {@code payload.trace_update.span_logs[1].log_level} from a binding error's references. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            appendSegment(path, reference.getFieldName(), reference.getIndex());
        }
        return path.toString();
    }

    /** The same from where the parser stood, else the body's path. */
    private static String path(JsonParser parser, String fallback) {
        Deque<JsonStreamContext> contexts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            contexts.push(c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : contexts) {
            appendSegment(path, c.inObject() ? c.getCurrentName() : null, c.inArray() ? c.getCurrentIndex() : -1);
        }
        return path.isEmpty() ? fallback : path.toString();
    }

    private static void appendSegment(StringBuilder path, String field, int index) {
        if (field != null) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(field);
        } else if (index >= 0) {
            path.append('[').append(index).append(']');
        }
    }

    private static String cap(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
    }
}
