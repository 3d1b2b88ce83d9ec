package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One OTLP span as the two internal messages a protocol span starts and ends with, so that every detector and the
 * archive treat it like one: a {@code trace.execution.start} and a {@code trace.execution.complete}, both at the
 * span's end time. A Collector exports a span once it has ended, so the span enters the pipeline whole at its end:
 * its start time is a field ({@link TraceEvent#spanStartTime}), not an event that would wait behind the watermark for
 * as long as the span lasted; at the same event time the session releases the start before the completion.
 *
 * <table>
 *   <caption>Where the fields come from</caption>
 *   <tr><th>TraceEvent</th><th>OTLP</th></tr>
 *   <tr><td>messageId</td><td>{@code otlp:TRACE:SPAN:start} / {@code :complete} (a redelivered span is a duplicate)</td></tr>
 *   <tr><td>protocolVersion</td><td>{@code otlp}</td></tr>
 *   <tr><td>eventTime</td><td>both: {@code endTimeUnixNano} (to ms)</td></tr>
 *   <tr><td>start spanStartTime</td><td>{@code startTimeUnixNano} (to ms)</td></tr>
 *   <tr><td>traceId, spanId, parentSpanId</td><td>the ids in lowercase hex (an empty parent is a root span)</td></tr>
 *   <tr><td>serviceName</td><td>resource attribute {@code service.name}</td></tr>
 *   <tr><td>senderId</td><td>resource attribute {@code service.instance.id}, else {@code service.name}</td></tr>
 *   <tr><td>operationName</td><td>{@code name}</td></tr>
 *   <tr><td>spanKind</td><td>{@code kind}: {@code server}, {@code client}, {@code internal}, {@code producer},
 *       {@code consumer}; null when unspecified</td></tr>
 *   <tr><td>attributes, resourceAttributes</td><td>span and resource attributes as JSON objects (int, double,
 *       bool, string; arrays and key-value lists as JSON arrays and objects; bytes as base64 text); the
 *       instrumentation scope as {@code otel.scope.name} / {@code otel.scope.version}</td></tr>
 *   <tr><td>traceState</td><td>{@code traceState} (then checked like a protocol start's)</td></tr>
 *   <tr><td>thresholds</td><td>none: the configured defaults apply</td></tr>
 *   <tr><td>completion status, statusCode, statusMessage</td><td>{@code status.code}: {@code completed}/{@code ok},
 *       {@code failed}/{@code error}, {@code completed}/{@code unset}; {@code status.message}</td></tr>
 *   <tr><td>completion durationMs</td><td>end minus start</td></tr>
 *   <tr><td>completion errorCount</td><td>span events named {@code exception} (OpenTelemetry's exception events)</td></tr>
 *   <tr><td>completion events, links</td><td>{@code events}, {@code links} as OTLP/JSON arrays</td></tr>
 *   <tr><td>completion otlpResidual</td><td>the rest, as an OTLP {@code ResourceSpans} (protobuf): the resource's and the
 *       scope's {@code schemaUrl}, dropped counts and scope attributes, {@code flags}, the times to the nanosecond,
 *       and the span and resource attributes whose values hold bytes (base64 text in {@code attributes}), so that
 *       the OTLP output gives back the span as it came</td></tr>
 *   <tr><td>payload (both halves)</td><td>the span as an OTLP/JSON request with its resource and scope</td></tr>
 * </table>
 *
 * <p>A span that cannot be one is rejected with the first problem, {@code detail} being its path in the request
 * ({@code resourceSpans[0].scopeSpans[1].spans[2].traceId}): {@code invalid_trace_id} (not 16 bytes, or all zeros),
 * {@code invalid_span_id} (span or non-empty parent not 8 bytes, or all zeros), {@code missing_field} (no
 * {@code service.name} string, empty {@code name}, a zero start or end time), {@code invalid_timestamp} (end before
 * start).
 */
final class OtlpSpans {

    static final String PROTOCOL = "otlp";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private OtlpSpans() {}

    /** The span's identity for dead letters: {@code otlp:TRACE:SPAN}, ids in hex whatever their length. */
    static String spanKey(Span span) {
        return PROTOCOL + ":" + hex(span.getTraceId()) + ":" + hex(span.getSpanId());
    }

    /**
     * @param resourceSpans the span's resource and its {@code schemaUrl}
     * @param scopeSpans the span's scope and its {@code schemaUrl}
     * @param path the span's path in the request, for the rejection's detail
     * @param payload the span as OTLP/JSON, kept by both halves for the archive
     * @return start and completion
     */
    static List<TraceEvent> toEvents(
            ResourceSpans resourceSpans,
            ScopeSpans scopeSpans,
            Span span,
            String path,
            String payload,
            String sourcePosition,
            long ingestTime)
            throws Rejection {
        Resource resource = resourceSpans.getResource();
        String scopeName = scopeSpans.getScope().getName();
        String scopeVersion = scopeSpans.getScope().getVersion();
        String traceId = id(span.getTraceId(), 16, DeadLetterReason.INVALID_TRACE_ID, path + ".traceId");
        String spanId = id(span.getSpanId(), 8, DeadLetterReason.INVALID_SPAN_ID, path + ".spanId");
        String parentSpanId = span.getParentSpanId().isEmpty()
                ? null
                : id(span.getParentSpanId(), 8, DeadLetterReason.INVALID_SPAN_ID, path + ".parentSpanId");
        String serviceName = stringAttribute(resource.getAttributesList(), "service.name");
        if (serviceName == null || serviceName.isBlank()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path + " resource.attributes[service.name]");
        }
        if (span.getName().isBlank()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path + ".name");
        }
        if (span.getStartTimeUnixNano() == 0) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path + ".startTimeUnixNano");
        }
        if (span.getEndTimeUnixNano() == 0) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, path + ".endTimeUnixNano");
        }
        if (Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) < 0) {
            throw new Rejection(DeadLetterReason.INVALID_TIMESTAMP, path + ".endTimeUnixNano (before the start)");
        }
        String instance = stringAttribute(resource.getAttributesList(), "service.instance.id");

        TraceEvent start = half(traceId, spanId, MessageType.START, span.getEndTimeUnixNano(), serviceName,
                instance, sourcePosition, ingestTime, payload);
        start.spanStartTime = Math.floorDiv(span.getStartTimeUnixNano(), NANOS_PER_MILLI);
        start.parentSpanId = parentSpanId;
        start.serviceName = serviceName;
        start.operationName = span.getName();
        start.spanKind = kind(span.getKind());
        ObjectNode attributes = object(span.getAttributesList());
        if (!scopeName.isEmpty()) {
            attributes.put("otel.scope.name", scopeName);
        }
        if (!scopeVersion.isEmpty()) {
            attributes.put("otel.scope.version", scopeVersion);
        }
        start.attributes = attributes.isEmpty() ? null : attributes.toString();
        ObjectNode resourceAttributes = object(resource.getAttributesList());
        start.resourceAttributes = resourceAttributes.isEmpty() ? null : resourceAttributes.toString();
        start.traceState = span.getTraceState().isEmpty() ? null : span.getTraceState();
        start.thresholds = new Thresholds();

        TraceEvent completion = half(traceId, spanId, MessageType.COMPLETE, span.getEndTimeUnixNano(), serviceName,
                instance, sourcePosition, ingestTime, payload);
        boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        completion.status = failed ? "failed" : "completed";
        completion.statusCode = switch (span.getStatus().getCode()) {
            case STATUS_CODE_OK -> "ok";
            case STATUS_CODE_ERROR -> "error";
            default -> "unset";
        };
        completion.statusMessage = span.getStatus().getMessage().isEmpty() ? null : span.getStatus().getMessage();
        completion.measurements.durationMs =
                (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / (double) NANOS_PER_MILLI;
        long exceptions = span.getEventsList().stream().filter(e -> e.getName().equals("exception")).count();
        completion.measurements.errorCount = exceptions == 0 ? null : exceptions;
        completion.events = span.getEventsCount() == 0 ? null : array(span.getEventsList());
        completion.links = span.getLinksCount() == 0 ? null : array(span.getLinksList());
        completion.otlpResidual = residual(resourceSpans, scopeSpans, span).toByteArray();
        return List.of(start, completion);
    }

    /**
     * The span, its scope and resource without what the internal fields hold: what OTLP output adds back to the span
     * it builds from those fields. Cleared field by field, so that whatever OTLP field is not mapped stays.
     */
    static ResourceSpans residual(ResourceSpans resourceSpans, ScopeSpans scopeSpans, Span span) {
        Resource resource = resourceSpans.getResource();
        return ResourceSpans.newBuilder(resourceSpans)
                .clearScopeSpans()
                .setResource(resource.toBuilder()
                        .clearAttributes()
                        .addAllAttributes(withBytes(resource.getAttributesList())))
                .addScopeSpans(ScopeSpans.newBuilder(scopeSpans)
                        .clearSpans()
                        .setScope(scopeSpans.getScope().toBuilder().clearName().clearVersion())
                        .addSpans(span.toBuilder()
                                .clearTraceId()
                                .clearSpanId()
                                .clearParentSpanId()
                                .clearTraceState()
                                .clearName()
                                .clearKind()
                                .clearAttributes()
                                .addAllAttributes(withBytes(span.getAttributesList()))
                                .clearEvents()
                                .clearLinks()
                                .clearStatus()))
                .build();
    }

    /** The attributes whose value holds bytes somewhere: JSON has no type for them. */
    private static List<KeyValue> withBytes(List<KeyValue> attributes) {
        return attributes.stream().filter(attribute -> holdsBytes(attribute.getValue())).toList();
    }

    private static boolean holdsBytes(AnyValue value) {
        return switch (value.getValueCase()) {
            case BYTES_VALUE -> true;
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().anyMatch(OtlpSpans::holdsBytes);
            case KVLIST_VALUE -> value.getKvlistValue().getValuesList().stream()
                    .anyMatch(entry -> holdsBytes(entry.getValue()));
            default -> false;
        };
    }

    private static TraceEvent half(
            String traceId,
            String spanId,
            MessageType type,
            long timeUnixNano,
            String serviceName,
            String instance,
            String sourcePosition,
            long ingestTime,
            String payload) {
        TraceEvent event = new TraceEvent();
        event.messageId = PROTOCOL + ":" + traceId + ":" + spanId + (type == MessageType.START ? ":start" : ":complete");
        event.messageType = type;
        event.protocolVersion = PROTOCOL;
        event.eventTime = Math.floorDiv(timeUnixNano, NANOS_PER_MILLI);
        event.ingestTime = ingestTime;
        event.senderId = instance != null ? instance : serviceName;
        event.traceId = traceId;
        event.spanId = spanId;
        event.sourcePosition = sourcePosition;
        event.payload = payload == null ? null : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        event.measurements = new Measurements();
        return event;
    }

    private static String id(ByteString bytes, int length, DeadLetterReason reason, String path) throws Rejection {
        if (bytes.size() != length || isAllZeros(bytes)) {
            throw new Rejection(reason, path);
        }
        return hex(bytes);
    }

    private static boolean isAllZeros(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER, SPAN_KIND_CLIENT, SPAN_KIND_INTERNAL, SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER ->
                    kind.name().substring("SPAN_KIND_".length()).toLowerCase(Locale.ROOT);
            default -> null;
        };
    }

    private static String stringAttribute(List<KeyValue> attributes, String key) {
        for (KeyValue attribute : attributes) {
            if (attribute.getKey().equals(key) && attribute.getValue().hasStringValue()) {
                return attribute.getValue().getStringValue();
            }
        }
        return null;
    }

    /** Attributes as a JSON object; a repeated key keeps its last value. */
    static ObjectNode object(List<KeyValue> attributes) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (KeyValue attribute : attributes) {
            object.set(attribute.getKey(), value(attribute.getValue()));
        }
        return object;
    }

    private static JsonNode value(AnyValue value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value.getValueCase()) {
            case STRING_VALUE -> nodes.textNode(value.getStringValue());
            case BOOL_VALUE -> nodes.booleanNode(value.getBoolValue());
            case INT_VALUE -> nodes.numberNode(value.getIntValue());
            case DOUBLE_VALUE -> nodes.numberNode(value.getDoubleValue());
            case BYTES_VALUE -> nodes.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                ArrayNode array = nodes.arrayNode();
                value.getArrayValue().getValuesList().forEach(v -> array.add(value(v)));
                yield array;
            }
            case KVLIST_VALUE -> object(value.getKvlistValue().getValuesList());
            default -> nodes.nullNode();
        };
    }

    private static String array(List<? extends com.google.protobuf.Message> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (com.google.protobuf.Message message : messages) {
            try {
                array.add(Json.mapper().readTree(OtlpJson.print(message)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("OTLP/JSON not readable", e);
            }
        }
        return array.toString();
    }
}
