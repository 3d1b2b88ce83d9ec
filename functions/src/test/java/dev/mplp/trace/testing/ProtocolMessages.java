package dev.mplp.trace.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Builds valid protocol messages of each type as Jackson trees, to be edited into the case under test:
 *
 * <pre>{@code
 * RawMessage raw = ProtocolMessages.update()
 *         .traceId(traceId).spanId(spanId).at(T0.plusSeconds(30))
 *         .setInBody("performance_metrics.duration_ms", 12_000)
 *         .remove("sender.sender_id")
 *         .raw();
 * }</pre>
 *
 * <p>Paths are dotted JSON names from the envelope ({@code payload.trace_update.span_logs[1].log_level}) or, for
 * the {@code ...InBody} methods, from the type's body. Every message starts as the protocol's sample of its type
 * (same trace, span, thresholds and figures, fewer descriptive fields) with its own {@code message_id}, at the
 * named instants below.
 */
public final class ProtocolMessages {

    public static final String PROTOCOL_VERSION = "1.0.0-alpha";
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    public static final String SPAN_ID = "00f067aa0ba902b7";
    public static final String SENDER_ID = "workflow-service-001";
    public static final String CORRELATION_ID = "corr-001";
    public static final String SERVICE_NAME = "mplp-workflow-service";
    public static final String OPERATION_NAME = "workflow_execution";

    /** When the default start message's span starts. */
    public static final Instant START_TIME = Instant.parse("2025-09-03T10:00:00Z");
    /** The default update message's time, 2.5 minutes into the span. */
    public static final Instant UPDATE_TIME = START_TIME.plusSeconds(150);
    /** The default metrics message's time, 3 minutes into the span. */
    public static final Instant METRICS_TIME = START_TIME.plusSeconds(180);
    /** The default completion message's time, 5:45 into the span. */
    public static final Instant COMPLETION_TIME = START_TIME.plusSeconds(345);

    /** The ingest time {@link Message#raw()} stamps. */
    public static final long INGEST_TIME = Instant.parse("2025-09-03T12:00:00Z").toEpochMilli();

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ProtocolMessages() {}

    /** A valid message of the type. */
    public static Message of(MessageType type) {
        return switch (type) {
            case START -> start();
            case UPDATE -> update();
            case COMPLETE -> completion();
            case METRICS -> metrics();
        };
    }

    /** A valid {@code trace.execution.start} at {@link #START_TIME}, with thresholds and typed attributes. */
    public static Message start() {
        ObjectNode body = object(
                "trace_id", TRACE_ID,
                "span_id", SPAN_ID,
                "parent_span_id", null,
                "operation_name", OPERATION_NAME,
                "service_name", SERVICE_NAME,
                "service_version", "1.0.0-alpha",
                "start_time", START_TIME,
                "span_kind", "server",
                "context", object("context_id", "ctx-marketing-q4", "user_id", "user-001"),
                "span_attributes", object(
                        "service.name", SERVICE_NAME,
                        "http.status_code", 200,
                        "custom.compliance_required", true,
                        "sampling.ratio", 0.25),
                "resource_attributes", object("host.name", "workflow-service-pod-001", "process.pid", 1),
                "sampling_configuration", object("sampling_rate", 0.1, "sampling_decision", "sampled"),
                "monitoring_configuration", object(
                        "metrics_collection_enabled", true,
                        "metrics_collection_interval_ms", 5000,
                        "alert_thresholds", object(
                                "duration_ms", 10000,
                                "cpu_usage_percent", 80,
                                "memory_usage_mb", 2048,
                                "error_rate_percent", 5),
                        "performance_targets", object(
                                "max_latency_p95_ms", 2000,
                                "min_throughput_ops_per_sec", 100,
                                "max_error_rate_percent", 1)));
        return new Message(MessageType.START, START_TIME, body);
    }

    /** A valid {@code trace.execution.update} at {@link #UPDATE_TIME}: one info and one warn log, no errors. */
    public static Message update() {
        ObjectNode body = object(
                "trace_id", TRACE_ID,
                "span_id", SPAN_ID,
                "update_timestamp", UPDATE_TIME,
                "status", "running",
                "progress_percentage", 65,
                "current_operation", "approval_processing",
                "span_events", array(object(
                        "event_name", "workflow_milestone_reached",
                        "event_timestamp", UPDATE_TIME.minusSeconds(15),
                        "event_attributes", object("milestone.progress", 0.6, "approvals.completed", 3))),
                "span_logs", array(
                        log(UPDATE_TIME.minusSeconds(15), "info", "Approval chain processing completed"),
                        log(UPDATE_TIME.minusSeconds(5), "warn", "Latency threshold exceeded")),
                "performance_metrics", object(
                        "timestamp", UPDATE_TIME,
                        "duration_ms", 2500,
                        "system_metrics", object("cpu_usage_percent", 58.7, "memory_usage_mb", 512),
                        "application_metrics", object(
                                "throughput_ops_per_sec", 185,
                                "latency_p95_ms", 1750,
                                "error_rate_percent", 0.8)));
        return new Message(MessageType.UPDATE, UPDATE_TIME, body);
    }

    /** A valid {@code trace.execution.complete} at {@link #COMPLETION_TIME}: 12 of 1567 operations failed. */
    public static Message completion() {
        ObjectNode body = object(
                "trace_id", TRACE_ID,
                "span_id", SPAN_ID,
                "completion_timestamp", COMPLETION_TIME,
                "status", "completed",
                "span_status", object("status_code", "ok", "status_message", "Workflow execution completed"),
                "execution_result", object(
                        "success", true,
                        "result_type", "workflow_completed",
                        "result_data", object("workflow_id", "wf-001", "approvals_completed", 5)),
                "final_metrics", object(
                        "total_duration_ms", 5450,
                        "peak_cpu_usage_percent", 72.3,
                        "peak_memory_usage_mb", 768),
                "performance_summary", object(
                        "avg_throughput_ops_per_sec", 172,
                        "latency_p95_ms", 1650,
                        "total_operations", 1567,
                        "successful_operations", 1555,
                        "failed_operations", 12));
        return new Message(MessageType.COMPLETE, COMPLETION_TIME, body);
    }

    /** A valid {@code trace.metrics.collect} at {@link #METRICS_TIME}: 1 GiB used, 58.7% CPU. */
    public static Message metrics() {
        ObjectNode body = object(
                "collection_id", "metrics-001",
                "trace_id", TRACE_ID,
                "span_id", SPAN_ID,
                "collection_timestamp", METRICS_TIME,
                "collection_interval_ms", 5000,
                "system_metrics", object(
                        "cpu", object("usage_percent", 58.7, "load_average_1m", 1.85),
                        "memory", object("total_bytes", 2147483648L, "used_bytes", 1073741824L)),
                "application_metrics", object("http", object(
                        "requests_per_sec", 185,
                        "response_time_p95_ms", 1750,
                        "error_rate_percent", 0.8)),
                "custom_metrics", object("mplp_specific", object("trace_spans_per_sec", 180)));
        return new Message(MessageType.METRICS, METRICS_TIME, body);
    }

    /** A span log entry for {@code span_logs}. */
    public static ObjectNode log(Instant at, String level, String message) {
        return object("log_timestamp", at, "log_level", level, "log_message", message);
    }

    /** An object from alternating names and values (values as in {@link Message#set}). */
    public static ObjectNode object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.set((String) namesAndValues[i], toNode(namesAndValues[i + 1]));
        }
        return node;
    }

    /** An array of the values (as in {@link Message#set}). */
    public static ArrayNode array(Object... values) {
        ArrayNode node = JsonNodeFactory.instance.arrayNode();
        for (Object value : values) {
            node.add(toNode(value));
        }
        return node;
    }

    /**
     * A JSON value: null, a {@link JsonNode} (copied), an {@link Instant} as ISO-8601 text, a {@link BigInteger} or
     * {@link BigDecimal} as is, or anything Jackson converts (strings, numbers, booleans, maps, lists).
     */
    static JsonNode toNode(Object value) {
        if (value instanceof JsonNode node) {
            return node.deepCopy();
        }
        if (value instanceof Instant instant) {
            return JsonNodeFactory.instance.textNode(instant.toString());
        }
        if (value instanceof BigInteger big) {
            return JsonNodeFactory.instance.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return JsonNodeFactory.instance.numberNode(decimal);
        }
        return Json.mapper().valueToTree(value);
    }

    /** One message under construction. The mutators return this; {@link #node()} hands out copies. */
    public static final class Message {
        private final MessageType type;
        private final ObjectNode root;

        private Message(MessageType type, Instant at, ObjectNode body) {
            this.type = type;
            this.root = object(
                    "message_type", type.wireName(),
                    "protocol_version", PROTOCOL_VERSION,
                    "message_id", "msg-test-" + type.payloadField() + "-" + SEQUENCE.incrementAndGet(),
                    "timestamp", at,
                    "correlation_id", CORRELATION_ID,
                    "sender", object(
                            "sender_id", SENDER_ID,
                            "sender_type", "service_instance",
                            "authentication", object("method", "jwt", "token", "eyJhbGciOiJIUzI1NiJ9.test")),
                    "payload", object(type.payloadField(), body),
                    "security", object("message_signature", "sha256:1a2b3c", "encryption", "aes-256-gcm"));
        }

        public MessageType type() {
            return type;
        }

        /** {@code payload.trace_start} and so on. */
        public String bodyPath() {
            return "payload." + type.payloadField();
        }

        /** The envelope path of a path inside the body. */
        public String path(String inBody) {
            return bodyPath() + "." + inBody;
        }

        /** The name of the body's own time field ({@code start_time}, ...). */
        public String timeField() {
            return switch (type) {
                case START -> "start_time";
                case UPDATE -> "update_timestamp";
                case COMPLETE -> "completion_timestamp";
                case METRICS -> "collection_timestamp";
            };
        }

        public Message messageId(String messageId) {
            return set("message_id", messageId);
        }

        public Message traceId(String traceId) {
            return setInBody("trace_id", traceId);
        }

        public Message spanId(String spanId) {
            return setInBody("span_id", spanId);
        }

        /** Start messages only. */
        public Message parentSpanId(String parentSpanId) {
            return setInBody("parent_span_id", parentSpanId);
        }

        public Message senderId(String senderId) {
            return set("sender.sender_id", senderId);
        }

        /** Sets the envelope {@code timestamp} and the body's own time field to the instant. */
        public Message at(Instant instant) {
            set("timestamp", instant);
            return setInBody(timeField(), instant);
        }

        /** Sets the value at the path, creating the objects on the way; {@code null} sets a JSON null. */
        public Message set(String path, Object value) {
            List<Object> segments = segments(path);
            JsonNode parent = walk(segments.subList(0, segments.size() - 1), path, true);
            Object last = segments.get(segments.size() - 1);
            if (last instanceof Integer index) {
                ArrayNode array = asArray(parent, path);
                if (index == array.size()) {
                    array.add(toNode(value));
                } else {
                    array.set(index, toNode(value));
                }
            } else {
                asObject(parent, path).set((String) last, toNode(value));
            }
            return this;
        }

        public Message setInBody(String path, Object value) {
            return set(path(path), value);
        }

        /** Removes the field or array element at the path; a path that leads nowhere is an error. */
        public Message remove(String path) {
            List<Object> segments = segments(path);
            JsonNode parent = walk(segments.subList(0, segments.size() - 1), path, false);
            Object last = segments.get(segments.size() - 1);
            JsonNode removed = last instanceof Integer index
                    ? asArray(parent, path).remove(index)
                    : asObject(parent, path).remove((String) last);
            if (removed == null) {
                throw new IllegalArgumentException("nothing at " + path);
            }
            return this;
        }

        public Message removeFromBody(String path) {
            return remove(path(path));
        }

        /** Any other change, on the message's own tree. */
        public Message edit(Consumer<ObjectNode> change) {
            change.accept(root);
            return this;
        }

        /** A copy of the message. */
        public ObjectNode node() {
            return root.deepCopy();
        }

        public String json() {
            try {
                return Json.mapper().writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        public byte[] bytes() {
            return json().getBytes(StandardCharsets.UTF_8);
        }

        /** The message as a source would read it, at {@code test:MESSAGE_ID}, ingested at {@link #INGEST_TIME}. */
        public RawMessage raw() {
            JsonNode id = root.get("message_id");
            return raw("test:" + (id == null ? "-" : id.asText()), INGEST_TIME);
        }

        public RawMessage raw(String sourcePosition, long ingestTime) {
            byte[] bytes = bytes();
            return new RawMessage(bytes, bytes.length, sourcePosition, ingestTime);
        }

        @Override
        public String toString() {
            return json();
        }

        /** The node at the segments; missing objects on the way are created when {@code create}. */
        private JsonNode walk(List<Object> segments, String path, boolean create) {
            JsonNode node = root;
            for (Object segment : segments) {
                JsonNode next = segment instanceof Integer index ? asArray(node, path).get(index)
                        : asObject(node, path).get((String) segment);
                if (next == null || next.isNull()) {
                    if (!create || segment instanceof Integer) {
                        throw new IllegalArgumentException("nothing at " + segment + " of " + path);
                    }
                    next = JsonNodeFactory.instance.objectNode();
                    asObject(node, path).set((String) segment, next);
                }
                node = next;
            }
            return node;
        }

        private static ObjectNode asObject(JsonNode node, String path) {
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException("not an object on the way to " + path + ": " + node);
            }
            return object;
        }

        private static ArrayNode asArray(JsonNode node, String path) {
            if (!(node instanceof ArrayNode array)) {
                throw new IllegalArgumentException("not an array on the way to " + path + ": " + node);
            }
            return array;
        }

        /** {@code a.b[2].c} as {@code ["a", "b", 2, "c"]}. */
        private static List<Object> segments(String path) {
            List<Object> segments = new ArrayList<>();
            for (String part : path.split("\\.")) {
                int bracket = part.indexOf('[');
                String name = bracket < 0 ? part : part.substring(0, bracket);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty name in " + path);
                }
                segments.add(name);
                while (bracket >= 0) {
                    int close = part.indexOf(']', bracket);
                    segments.add(Integer.parseInt(part.substring(bracket + 1, close)));
                    bracket = part.indexOf('[', close);
                }
            }
            return segments;
        }
    }
}
