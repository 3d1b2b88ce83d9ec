package dev.mplp.trace.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A catalogue of named malformations: each turns a valid protocol message into a record with exactly one defect,
 * and declares the {@link DeadLetterReason} a validator gives it. Every reason but {@code duplicate} (which is about
 * delivery, see the {@code duplicate} fault) has several variants.
 *
 * <p>The reasons assume the validator's order of checks: oversize, then JSON syntax (a JSON object on one line),
 * then {@code message_type} (absent: {@code missing_field}; not one of the four: {@code unknown_message_type}), then
 * {@code protocol_version} ({@code 1.0.0-alpha} and {@code 1.0.0} accepted), then presence and JSON type of the
 * required fields (envelope {@code message_id}, {@code timestamp}, {@code sender.sender_id}, the payload's body, and
 * each type's ids, names, times and statuses; numeric detection fields must be numbers, percentages within 0 to 100,
 * durations not negative), then the time fields, then {@code trace_id}, then {@code span_id} and
 * {@code parent_span_id}. As each record has one defect, the reason does not depend on that order, except that an
 * oversize record is never parsed.
 *
 * <p>All records are single non-blank text lines (a line-based reader skips blank lines, so an empty record is not
 * one). The {@code malformed} fault of the {@link TrafficGenerator} draws from this catalogue; {@link #corpus} and
 * {@link #writeCorpus} give one record of each.
 */
public final class MalformedMessages {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<MessageType> ALL = Collections.unmodifiableSet(EnumSet.allOf(MessageType.class));
    // before CATALOGUE, which uses them
    private static final JsonNode NUMBER_42 = IntNode.valueOf(42);
    /** The value written as a JSON string: {@code 2500} becomes {@code "2500"}. */
    private static final UnaryOperator<JsonNode> AS_TEXT = v -> TextNode.valueOf(v.asText());

    /** One named way to break a message. */
    public static final class Malformation {
        private final String name;
        private final DeadLetterReason expectedReason;
        private final Set<MessageType> appliesTo;
        private final String description;
        private final Maker maker;

        private Malformation(String name, DeadLetterReason expectedReason, Set<MessageType> appliesTo,
                String description, Maker maker) {
            this.name = name;
            this.expectedReason = expectedReason;
            this.appliesTo = appliesTo;
            this.description = description;
            this.maker = maker;
        }

        /** A unique name in {@code snake_case}, usable as {@code variant=} of the malformed fault. */
        public String name() {
            return name;
        }

        /** What a validator dead-letters the record as. */
        public DeadLetterReason expectedReason() {
            return expectedReason;
        }

        /** The message types it can break (a field that only one type has limits it to that type). */
        public Set<MessageType> appliesTo() {
            return appliesTo;
        }

        /** What is wrong with the record, for people. */
        public String description() {
            return description;
        }

        /** True when the record only breaks a size limit and so needs one ({@code oversize}). */
        public boolean needsSizeLimit() {
            return expectedReason == DeadLetterReason.OVERSIZE;
        }

        /**
         * Breaks {@code validLine}, a valid protocol message of one of {@link #appliesTo()}.
         *
         * @param maxMessageBytes the consumer's size limit, which oversize records exceed (ignored by the others)
         * @throws IllegalArgumentException if the line is not a message of a type this malformation applies to,
         *     or an oversize record is asked for with a limit above 256 MiB
         */
        public String apply(String validLine, long maxMessageBytes) {
            JsonNode tree;
            try {
                tree = MAPPER.readTree(validLine);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not a JSON message: " + e.getOriginalMessage(), e);
            }
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            MessageType type = MessageType.fromWireName(object.path("message_type").asText())
                    .orElseThrow(() -> new IllegalArgumentException("not a protocol message: message_type is "
                            + object.get("message_type")));
            if (!appliesTo.contains(type)) {
                throw new IllegalArgumentException(name + " does not apply to " + type.wireName()
                        + " messages; it applies to " + appliesTo.stream().map(MessageType::wireName)
                                .collect(Collectors.joining(", ")));
            }
            if (needsSizeLimit() && maxMessageBytes > 256L * 1024 * 1024) {
                throw new IllegalArgumentException(name + " needs a size limit of at most 256 MiB, not "
                        + maxMessageBytes);
            }
            return apply(object, validLine, maxMessageBytes);
        }

        /** Breaks the message whose tree and text are given; may change {@code tree}. */
        String apply(ObjectNode tree, String json, long maxMessageBytes) {
            MessageType type = MessageType.fromWireName(tree.path("message_type").asText()).orElseThrow();
            return maker.make(new Source(tree, json, type, maxMessageBytes));
        }

        @Override
        public String toString() {
            return name + " (" + expectedReason.wireName() + ")";
        }
    }

    /** One record of the corpus: a malformation applied to a generated message of {@code sourceType}. */
    public record Entry(String name, DeadLetterReason expectedReason, MessageType sourceType, String line) {}

    @FunctionalInterface
    private interface Maker {
        String make(Source source);
    }

    private record Source(ObjectNode tree, String json, MessageType type, long maxBytes) {
        ObjectNode body() {
            return (ObjectNode) tree.path("payload").path(type.payloadField());
        }

        /** The tree after {@code change}, as compact JSON. */
        String with(Consumer<ObjectNode> change) {
            change.accept(tree);
            return write(tree);
        }

        /** The tree after {@code change} to the payload's body, as compact JSON. */
        String withBody(Consumer<ObjectNode> change) {
            change.accept(body());
            return write(tree);
        }
    }

    private static final List<Malformation> CATALOGUE = build();
    private static final Map<String, Malformation> BY_NAME = CATALOGUE.stream()
            .collect(Collectors.toMap(Malformation::name, m -> m, (a, b) -> {
                throw new IllegalStateException("two malformations named " + a.name());
            }, LinkedHashMap::new));

    private MalformedMessages() {}

    /** Every malformation, grouped by reason in the validator's order of checks. */
    public static List<Malformation> catalogue() {
        return CATALOGUE;
    }

    public static Optional<Malformation> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The malformations of {@code reason}. */
    public static List<Malformation> ofReason(DeadLetterReason reason) {
        return CATALOGUE.stream().filter(m -> m.expectedReason() == reason).toList();
    }

    /** The wire names of the reasons the catalogue covers, for error messages. */
    static String reasonNames() {
        return CATALOGUE.stream()
                .map(m -> m.expectedReason().wireName())
                .distinct()
                .collect(Collectors.joining(", "));
    }

    /** What a {@code malformed} fault may draw for a message of {@code type}. */
    static List<Malformation> candidates(MessageType type, FaultSpec fault) {
        return CATALOGUE.stream()
                .filter(m -> m.appliesTo().contains(type))
                .filter(m -> fault.variant().map(v -> v.equals(m.name())).orElse(true))
                .filter(m -> fault.reason().map(r -> r == m.expectedReason()).orElse(true))
                .filter(m -> !m.needsSizeLimit() || fault.maxBytes().isPresent())
                .toList();
    }

    /**
     * One record of every malformation, made from messages of a short generated run (the same each time). Each
     * malformation that applies to several types takes them in turn, so the corpus holds all four.
     *
     * @param maxMessageBytes the consumer's size limit, which the oversize records exceed by at least one byte
     */
    public static List<Entry> corpus(long maxMessageBytes) {
        if (maxMessageBytes < 1 || maxMessageBytes > 256L * 1024 * 1024) {
            throw new IllegalArgumentException("the size limit must be within 1 byte and 256 MiB, not "
                    + maxMessageBytes);
        }
        Map<MessageType, String> samples = sampleMessages();
        List<Entry> corpus = new ArrayList<>();
        for (int i = 0; i < CATALOGUE.size(); i++) {
            Malformation m = CATALOGUE.get(i);
            List<MessageType> types = new ArrayList<>(m.appliesTo());
            MessageType type = types.get(i % types.size());
            corpus.add(new Entry(m.name(), m.expectedReason(), type,
                    m.apply(samples.get(type), maxMessageBytes)));
        }
        return corpus;
    }

    /**
     * Writes {@link #corpus} to {@code directory} as two files: {@code malformed.jsonl}, the records one a line
     * (what a job reads), and {@code expected.jsonl}, for each record its line number, name, expected reason and
     * source type (what its dead letters should say). Creates the directory.
     *
     * @return the number of records
     */
    public static int writeCorpus(Path directory, long maxMessageBytes) throws IOException {
        List<Entry> corpus = corpus(maxMessageBytes);
        Files.createDirectories(directory);
        try (BufferedWriter lines = Files.newBufferedWriter(directory.resolve("malformed.jsonl"),
                        StandardCharsets.UTF_8);
                BufferedWriter expected = Files.newBufferedWriter(directory.resolve("expected.jsonl"),
                        StandardCharsets.UTF_8)) {
            for (int i = 0; i < corpus.size(); i++) {
                Entry entry = corpus.get(i);
                lines.write(entry.line());
                lines.write('\n');
                ObjectNode row = MAPPER.createObjectNode();
                row.put("line", i + 1);
                row.put("name", entry.name());
                row.put("expected_reason", entry.expectedReason().wireName());
                row.put("source_type", entry.sourceType().wireName());
                expected.write(write(row));
                expected.write('\n');
            }
        }
        return corpus.size();
    }

    /** The first message of each type of a short default run: valid messages to break. */
    static Map<MessageType, String> sampleMessages() {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(20250903)
                .duration(Duration.ofSeconds(30))
                .build();
        Map<MessageType, String> samples = new EnumMap<>(MessageType.class);
        Iterator<GeneratedMessage> messages = new TrafficGenerator(settings).iterator();
        while (samples.size() < MessageType.values().length && messages.hasNext()) {
            GeneratedMessage message = messages.next();
            // a child span's start, so that parent_span_id is set
            if (message.type() == MessageType.START && message.json().contains("\"parent_span_id\":null")) {
                continue;
            }
            samples.putIfAbsent(message.type(), message.json());
        }
        if (samples.size() < MessageType.values().length) {
            throw new IllegalStateException("the sample run lacks a message type: " + samples.keySet());
        }
        return samples;
    }

    // ------------------------------------------------------------------------------------------------ the catalogue

    private static List<Malformation> build() {
        List<Malformation> all = new ArrayList<>();
        oversize(all);
        malformedJson(all);
        unknownMessageType(all);
        unsupportedProtocolVersion(all);
        missingField(all);
        invalidType(all);
        invalidTimestamp(all);
        invalidTraceId(all);
        invalidSpanId(all);
        return List.copyOf(all);
    }

    private static void add(List<Malformation> all, String name, DeadLetterReason reason, Set<MessageType> types,
            String description, Maker maker) {
        all.add(new Malformation(name, reason, types, description, maker));
    }

    private static void oversize(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.OVERSIZE;
        add(all, "oversize_by_one_byte", r, ALL, "a valid message padded to exactly one byte over the limit",
                s -> padTo(s.tree(), "padding", s.maxBytes() + 1));
        add(all, "oversize_double_limit", r, ALL, "a valid message padded to twice the limit",
                s -> padTo(s.tree(), "padding", 2 * s.maxBytes() + 1));
        add(all, "oversize_huge_attribute", r, EnumSet.of(MessageType.START),
                "a span attribute holding a blob larger than the limit", s -> {
                    ObjectNode attributes = (ObjectNode) s.body().get("span_attributes");
                    return padTo(attributes, s.tree(), "custom.blob", s.maxBytes() + s.maxBytes() / 2 + 1);
                });
        add(all, "oversize_log_flood", r, EnumSet.of(MessageType.UPDATE),
                "so many span logs that the message exceeds the limit", s -> {
                    ArrayNode logs = (ArrayNode) s.body().get("span_logs");
                    JsonNode log = logs.get(0);
                    int logBytes = utf8Length(write(log)) + 1;
                    long needed = (s.maxBytes() + 1 - utf8Length(write(s.tree()))) / logBytes + 1;
                    for (long i = 0; i < needed; i++) {
                        logs.add(log.deepCopy());
                    }
                    return write(s.tree());
                });
        add(all, "oversize_many_labels", r, ALL, "an envelope object with thousands of labels, over the limit", s -> {
            ObjectNode labels = s.tree().putObject("labels");
            long needed = s.maxBytes() + 1 - utf8Length(write(s.tree()));
            for (long i = 0; needed > 0; i++) {
                String key = "label_" + i;
                String value = "value-" + i;
                labels.put(key, value);
                needed -= key.length() + value.length() + 6;
            }
            return write(s.tree());
        });
    }

    private static void malformedJson(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.MALFORMED_JSON;
        add(all, "json_truncated_half", r, ALL, "the first half of a message, as a cut-off write leaves it",
                s -> s.json().substring(0, s.json().length() / 2));
        add(all, "json_missing_closing_brace", r, ALL, "a message without its final '}'",
                s -> s.json().substring(0, s.json().length() - 1));
        add(all, "json_trailing_garbage", r, ALL, "a message followed by text on the same line",
                s -> s.json() + " garbage");
        add(all, "json_extra_closing_brace", r, ALL, "a message followed by one '}' too many", s -> s.json() + "}");
        add(all, "json_two_objects", r, ALL, "two messages on one line", s -> s.json() + s.json());
        add(all, "json_array", r, ALL, "a message wrapped in a JSON array: valid JSON, not an object",
                s -> "[" + s.json() + "]");
        add(all, "json_string", r, ALL, "a JSON string: valid JSON, not an object", s -> "\"" + s.type().wireName()
                + "\"");
        add(all, "json_number", r, ALL, "a JSON number: valid JSON, not an object", s -> "42");
        add(all, "json_null", r, ALL, "the JSON literal null", s -> "null");
        add(all, "json_single_quotes", r, ALL, "a message with single quotes instead of double quotes",
                s -> s.json().replace('"', '\''));
        add(all, "json_unquoted_key", r, ALL, "a message whose first key is not quoted",
                s -> s.json().replaceFirst("\"message_type\":", "message_type:"));
        add(all, "json_trailing_comma", r, ALL, "a message with a comma before its final '}'",
                s -> s.json().substring(0, s.json().length() - 1) + ",}");
        add(all, "json_missing_comma", r, ALL, "a message with no comma between its first two fields",
                s -> s.json().replaceFirst(",\"protocol_version\"", "\"protocol_version\""));
        add(all, "json_unescaped_tab", r, ALL, "a raw tab character inside a string value",
                s -> s.json().replaceFirst("\"correlation_id\":\"corr-", "\"correlation_id\":\"corr\t-"));
        add(all, "json_nan_literal", r, ALL, "the non-standard literal NaN as a value",
                s -> "{\"retry_count\":NaN," + s.json().substring(1));
        add(all, "json_comment", r, ALL, "a message preceded by a /* comment */",
                s -> "/* replayed */ " + s.json());
        add(all, "json_duplicate_key", r, ALL, "a message whose message_id key appears twice",
                s -> "{\"message_id\":\"msg-first\"," + s.json().substring(1));
        add(all, "json_plain_text", r, ALL, "a plain-text log line instead of JSON",
                s -> "INFO " + s.type().wireName() + " message received from collector");
    }

    private static void unknownMessageType(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.UNKNOWN_MESSAGE_TYPE;
        add(all, "type_unknown_name", r, ALL, "message_type trace.execution.pause, which the protocol lacks",
                s -> s.with(t -> t.put("message_type", "trace.execution.pause")));
        add(all, "type_upper_case", r, ALL, "message_type in upper case",
                s -> s.with(t -> t.put("message_type", s.type().wireName().toUpperCase(Locale.ROOT))));
        add(all, "type_plural", r, ALL, "message_type with a trailing 's'",
                s -> s.with(t -> t.put("message_type", s.type().wireName() + "s")));
        add(all, "type_other_module", r, ALL, "message_type of another MPLP module (context.*)",
                s -> s.with(t -> t.put("message_type", s.type().wireName().replaceFirst("^trace\\.", "context."))));
    }

    private static void unsupportedProtocolVersion(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.UNSUPPORTED_PROTOCOL_VERSION;
        for (String[] v : new String[][] {{"version_next_major", "2.0.0"}, {"version_older", "0.9.0"},
            {"version_beta", "1.0.0-beta"}, {"version_two_parts", "1.0"}}) {
            add(all, v[0], r, ALL, "protocol_version " + v[1],
                    s -> s.with(t -> t.put("protocol_version", v[1])));
        }
    }

    private static void missingField(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.MISSING_FIELD;
        add(all, "missing_message_type", r, ALL, "no message_type", s -> s.with(t -> t.remove("message_type")));
        add(all, "null_message_type", r, ALL, "message_type null", s -> s.with(t -> t.putNull("message_type")));
        add(all, "missing_message_id", r, ALL, "no message_id", s -> s.with(t -> t.remove("message_id")));
        add(all, "null_message_id", r, ALL, "message_id null", s -> s.with(t -> t.putNull("message_id")));
        add(all, "missing_sender", r, ALL, "no sender (so no sender.sender_id)", s -> s.with(t -> t.remove("sender")));
        add(all, "missing_sender_id", r, ALL, "a sender without sender_id",
                s -> s.with(t -> ((ObjectNode) t.get("sender")).remove("sender_id")));
        add(all, "missing_payload", r, ALL, "no payload", s -> s.with(t -> t.remove("payload")));
        add(all, "empty_payload", r, ALL, "a payload without the body its type names",
                s -> s.with(t -> t.putObject("payload")));
        add(all, "payload_of_other_type", r, ALL, "the body under another type's field name", s -> s.with(t -> {
            ObjectNode payload = (ObjectNode) t.get("payload");
            JsonNode body = payload.remove(s.type().payloadField());
            MessageType other = MessageType.values()[(s.type().ordinal() + 1) % MessageType.values().length];
            payload.set(other.payloadField(), body);
        }));
        add(all, "missing_trace_id", r, ALL, "a body without trace_id", s -> s.withBody(b -> b.remove("trace_id")));
        add(all, "null_trace_id", r, ALL, "trace_id null", s -> s.withBody(b -> b.putNull("trace_id")));
        add(all, "missing_span_id", r, ALL, "a body without span_id", s -> s.withBody(b -> b.remove("span_id")));
        Set<MessageType> start = EnumSet.of(MessageType.START);
        add(all, "start_missing_operation_name", r, start, "a start without operation_name",
                s -> s.withBody(b -> b.remove("operation_name")));
        add(all, "start_missing_service_name", r, start, "a start without service_name",
                s -> s.withBody(b -> b.remove("service_name")));
        add(all, "start_null_service_name", r, start, "a start with service_name null",
                s -> s.withBody(b -> b.putNull("service_name")));
        add(all, "start_missing_start_time", r, start, "a start without start_time",
                s -> s.withBody(b -> b.remove("start_time")));
        Set<MessageType> update = EnumSet.of(MessageType.UPDATE);
        add(all, "update_missing_update_timestamp", r, update, "an update without update_timestamp",
                s -> s.withBody(b -> b.remove("update_timestamp")));
        add(all, "update_missing_status", r, update, "an update without status",
                s -> s.withBody(b -> b.remove("status")));
        Set<MessageType> complete = EnumSet.of(MessageType.COMPLETE);
        add(all, "complete_missing_completion_timestamp", r, complete, "a completion without completion_timestamp",
                s -> s.withBody(b -> b.remove("completion_timestamp")));
        add(all, "complete_missing_status", r, complete, "a completion without status",
                s -> s.withBody(b -> b.remove("status")));
        add(all, "metrics_missing_collection_timestamp", r, EnumSet.of(MessageType.METRICS),
                "a metrics collection without collection_timestamp",
                s -> s.withBody(b -> b.remove("collection_timestamp")));
    }

    private static void invalidType(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.INVALID_TYPE;
        add(all, "payload_array", r, ALL, "payload is an array holding the body", s -> s.with(t -> {
            JsonNode body = t.get("payload").get(s.type().payloadField());
            t.putArray("payload").add(body);
        }));
        add(all, "body_string", r, ALL, "the payload's body is a string",
                s -> s.with(t -> ((ObjectNode) t.get("payload")).put(s.type().payloadField(), "see attachment")));
        add(all, "message_id_number", r, ALL, "message_id is a number",
                s -> s.with(t -> t.put("message_id", 1001)));
        add(all, "timestamp_number", r, ALL, "the envelope timestamp is epoch milliseconds as a number",
                s -> s.with(t -> t.put("timestamp",
                        java.time.Instant.parse(t.get("timestamp").asText()).toEpochMilli())));
        add(all, "sender_string", r, ALL, "sender is a string, not an object",
                s -> s.with(t -> t.put("sender", t.get("sender").get("sender_id").asText())));
        add(all, "payload_extra_field", r, ALL, "a payload that carries a second field beside its body",
                s -> s.with(t -> ((ObjectNode) t.get("payload")).putObject("attachments")));
        MessageType start = MessageType.START;
        String thresholds = "monitoring_configuration.alert_thresholds.";
        bodyValue(all, "start_operation_name_number", r, start, "operation_name", "a number", v -> NUMBER_42);
        bodyValue(all, "start_threshold_duration_string", r, start, thresholds + "duration_ms", "a string", AS_TEXT);
        bodyValue(all, "start_threshold_cpu_string", r, start, thresholds + "cpu_usage_percent", "a string", AS_TEXT);
        bodyValue(all, "start_threshold_cpu_over_100", r, start, thresholds + "cpu_usage_percent", "150",
                v -> IntNode.valueOf(150));
        bodyValue(all, "start_threshold_memory_negative", r, start, thresholds + "memory_usage_mb", "-512",
                v -> IntNode.valueOf(-512));
        MessageType update = MessageType.UPDATE;
        bodyValue(all, "update_duration_string", r, update, "performance_metrics.duration_ms", "a string", AS_TEXT);
        bodyValue(all, "update_duration_negative", r, update, "performance_metrics.duration_ms", "negative",
                v -> IntNode.valueOf(-250));
        bodyValue(all, "update_progress_object", r, update, "progress_percentage", "an object",
                v -> MAPPER.createObjectNode().set("value", v));
        bodyValue(all, "update_cpu_over_100", r, update, "performance_metrics.system_metrics.cpu_usage_percent",
                "130.5", v -> DoubleNode.valueOf(130.5));
        bodyValue(all, "update_error_rate_negative", r, update,
                "performance_metrics.application_metrics.error_rate_percent", "-3.5", v -> DoubleNode.valueOf(-3.5));
        bodyValue(all, "update_status_number", r, update, "status", "a number", v -> NUMBER_42);
        MessageType complete = MessageType.COMPLETE;
        bodyValue(all, "complete_total_duration_string", r, complete, "final_metrics.total_duration_ms", "a string",
                AS_TEXT);
        bodyValue(all, "complete_total_duration_negative", r, complete, "final_metrics.total_duration_ms",
                "negative", v -> IntNode.valueOf(-5));
        bodyValue(all, "complete_peak_cpu_boolean", r, complete, "final_metrics.peak_cpu_usage_percent", "true",
                v -> BooleanNode.TRUE);
        MessageType metrics = MessageType.METRICS;
        bodyValue(all, "metrics_cpu_string", r, metrics, "system_metrics.cpu.usage_percent", "a string", AS_TEXT);
        bodyValue(all, "metrics_error_rate_over_100", r, metrics, "application_metrics.http.error_rate_percent",
                "250", v -> IntNode.valueOf(250));
    }

    /** A malformation of one {@code type} that replaces the value at {@code path} (dotted, in the body). */
    private static void bodyValue(List<Malformation> all, String name, DeadLetterReason reason, MessageType type,
            String path, String what, UnaryOperator<JsonNode> value) {
        int dot = path.lastIndexOf('.');
        String field = path.substring(dot + 1);
        add(all, name, reason, EnumSet.of(type), path + " is " + what, s -> s.withBody(body -> {
            ObjectNode parent = body;
            for (String step : path.substring(0, Math.max(0, dot)).split("\\.")) {
                if (!step.isEmpty()) {
                    parent = (ObjectNode) parent.get(step);
                }
            }
            parent.set(field, value.apply(parent.get(field)));
        }));
    }

    private static void invalidTimestamp(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.INVALID_TIMESTAMP;
        add(all, "timestamp_without_offset", r, ALL, "envelope timestamp without Z or offset", s -> s.with(t ->
                t.put("timestamp", t.get("timestamp").asText().replace("Z", ""))));
        add(all, "timestamp_space_separated", r, ALL, "envelope timestamp with a space instead of T", s -> s.with(t ->
                t.put("timestamp", t.get("timestamp").asText().replace('T', ' '))));
        add(all, "timestamp_not_a_date", r, ALL, "envelope timestamp 'yesterday'",
                s -> s.with(t -> t.put("timestamp", "yesterday")));
        add(all, "timestamp_impossible_date", r, ALL, "envelope timestamp on the 45th day of the 13th month",
                s -> s.with(t -> t.put("timestamp", "2025-13-45T10:00:00.000Z")));
        add(all, "timestamp_epoch_string", r, ALL, "envelope timestamp as epoch milliseconds in a string",
                s -> s.with(t -> t.put("timestamp", Long.toString(
                        java.time.Instant.parse(t.get("timestamp").asText()).toEpochMilli()))));
        bodyValue(all, "start_time_day_first", r, MessageType.START, "start_time", "dd/MM/yyyy HH:mm:ss",
                v -> TextNode.valueOf("03/09/2025 10:00:00"));
        bodyValue(all, "update_timestamp_no_offset", r, MessageType.UPDATE, "update_timestamp", "without Z or offset",
                v -> TextNode.valueOf(v.asText().replace("Z", "")));
        bodyValue(all, "completion_timestamp_date_only", r, MessageType.COMPLETE, "completion_timestamp",
                "the date only", v -> TextNode.valueOf(v.asText().substring(0, 10)));
        bodyValue(all, "collection_timestamp_garbage", r, MessageType.METRICS, "collection_timestamp", "'now'",
                v -> TextNode.valueOf("now"));
    }

    private static void invalidTraceId(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.INVALID_TRACE_ID;
        idVariants(all, r, ALL, "trace_id", "trace_id", 32);
        add(all, "trace_id_uuid_format", r, ALL, "trace_id written as a UUID with dashes", s -> s.withBody(b -> {
            String id = b.get("trace_id").asText();
            b.put("trace_id", id.substring(0, 8) + "-" + id.substring(8, 12) + "-" + id.substring(12, 16) + "-"
                    + id.substring(16, 20) + "-" + id.substring(20));
        }));
    }

    private static void invalidSpanId(List<Malformation> all) {
        DeadLetterReason r = DeadLetterReason.INVALID_SPAN_ID;
        idVariants(all, r, ALL, "span_id", "span_id", 16);
        add(all, "span_id_hex_prefix", r, ALL, "span_id with a 0x prefix",
                s -> s.withBody(b -> b.put("span_id", "0x" + b.get("span_id").asText())));
        Set<MessageType> start = EnumSet.of(MessageType.START);
        add(all, "parent_span_id_upper_case", r, start, "parent_span_id in upper case",
                s -> s.withBody(b -> b.put("parent_span_id", upper(parentOf(b)))));
        add(all, "parent_span_id_all_zeros", r, start, "parent_span_id of sixteen zeros",
                s -> s.withBody(b -> b.put("parent_span_id", "0000000000000000")));
        add(all, "parent_span_id_short", r, start, "parent_span_id of fifteen digits",
                s -> s.withBody(b -> b.put("parent_span_id", parentOf(b).substring(1))));
    }

    /** A root span's start has no parent: use a well-formed stand-in to break. */
    private static String parentOf(ObjectNode body) {
        JsonNode parent = body.get("parent_span_id");
        return parent == null || parent.isNull() ? "5a3c9e1f7b2d4680" : parent.asText();
    }

    private static void idVariants(List<Malformation> all, DeadLetterReason r, Set<MessageType> types, String field,
            String prefix, int length) {
        add(all, prefix + "_upper_case", r, types, field + " in upper case",
                s -> s.withBody(b -> b.put(field, upper(b.get(field).asText()))));
        add(all, prefix + "_short", r, types, field + " one digit short",
                s -> s.withBody(b -> b.put(field, b.get(field).asText().substring(1))));
        add(all, prefix + "_long", r, types, field + " one digit long",
                s -> s.withBody(b -> b.put(field, b.get(field).asText() + "a")));
        add(all, prefix + "_all_zeros", r, types, field + " of " + length + " zeros",
                s -> s.withBody(b -> b.put(field, "0".repeat(length))));
        add(all, prefix + "_non_hex", r, types, field + " with a 'g' for its last digit", s -> s.withBody(b -> {
            String id = b.get(field).asText();
            b.put(field, id.substring(0, id.length() - 1) + "g");
        }));
    }

    /** {@code id} in upper case, with at least one letter so that it differs. */
    private static String upper(String id) {
        String upper = id.toUpperCase(Locale.ROOT);
        return upper.equals(id) ? "A" + upper.substring(1) : upper;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Adds {@code field} to {@code holder} so that {@code root} serialises to exactly {@code targetBytes}. */
    private static String padTo(ObjectNode root, String field, long targetBytes) {
        return padTo(root, root, field, targetBytes);
    }

    private static String padTo(ObjectNode holder, ObjectNode root, String field, long targetBytes) {
        holder.put(field, "");
        long missing = targetBytes - utf8Length(write(root));
        if (missing > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot pad a record to " + targetBytes + " bytes");
        }
        holder.put(field, "x".repeat((int) Math.max(1, missing)));
        return write(root);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    static String write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reasons the catalogue covers. */
    static Set<DeadLetterReason> reasons() {
        EnumSet<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        CATALOGUE.forEach(m -> reasons.add(m.expectedReason()));
        return reasons;
    }
}
