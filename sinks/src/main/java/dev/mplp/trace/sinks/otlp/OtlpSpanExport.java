package dev.mplp.trace.sinks.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mplp.trace.ingest.OtlpJson;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.CompletedSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A completed span as an OTLP {@code ExportTraceServiceRequest} (one span per request), mapped per the
 * OpenTelemetry specification, for the Collector's Kafka receiver or Jaeger's ingester ({@code otlp_proto}):
 *
 * <ul>
 *   <li>resource: the start's resource attributes, with {@code service.name} = the span's service;
 *   <li>scope: {@code otel.scope.name}/{@code otel.scope.version} of the span's attributes (kept there by OTLP
 *       input), else {@code trace-analytics};
 *   <li>span: ids, parent, name = operation, kind ({@code server} → {@code SPAN_KIND_SERVER}, ...; unspecified
 *       otherwise), start and end (epoch ms to ns: the pipeline's times are milliseconds), attributes (JSON types
 *       to OTLP values: string, bool, int, double, array, key-value list), trace state;
 *   <li>status: {@code error} (or a failed span) → {@code STATUS_CODE_ERROR} with its message, {@code ok} →
 *       {@code STATUS_CODE_OK}, else unset;
 *   <li>events and links as received over OTLP;
 *   <li>for a span of OTLP input, what the fields above cannot hold, as it came: the resource's and the scope's
 *       {@code schemaUrl}, the scope's attributes, {@code flags}, the times to the nanosecond, dropped counts, and
 *       attributes with bytes values (bytes again, not their base64 text).
 * </ul>
 */
public final class OtlpSpanExport {

    static final String DEFAULT_SCOPE = "trace-analytics";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private OtlpSpanExport() {}

    public static ExportTraceServiceRequest request(CompletedSpan completed) {
        ObjectNode attributes = object(completed.attributes);
        JsonNode scopeName = attributes.remove("otel.scope.name");
        JsonNode scopeVersion = attributes.remove("otel.scope.version");
        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                .setName(scopeName != null && scopeName.isTextual() ? scopeName.textValue() : DEFAULT_SCOPE);
        if (scopeVersion != null && scopeVersion.isTextual()) {
            scope.setVersion(scopeVersion.textValue());
        }

        ObjectNode resourceAttributes = object(completed.resourceAttributes);
        if (completed.serviceName != null) {
            resourceAttributes.put("service.name", completed.serviceName);
        }

        Span.Builder span = Span.newBuilder()
                .setTraceId(id(completed.traceId))
                .setSpanId(id(completed.spanId))
                .setName(completed.operationName == null ? "" : completed.operationName)
                .setKind(kind(completed.spanKind))
                .setStartTimeUnixNano(completed.startTime * NANOS_PER_MILLI)
                .setEndTimeUnixNano(completed.endTime * NANOS_PER_MILLI)
                .addAllAttributes(keyValues(attributes))
                .setStatus(status(completed));
        if (completed.parentSpanId != null) {
            span.setParentSpanId(id(completed.parentSpanId));
        }
        if (completed.traceState != null) {
            span.setTraceState(completed.traceState);
        }
        mergeEventsAndLinks(completed, span);

        ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(keyValues(resourceAttributes)));
        ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder().setScope(scope);
        if (completed.otlpResidual != null) {
            mergeResidual(completed.otlpResidual, resourceSpans, scopeSpans, span);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans.addScopeSpans(scopeSpans.addSpans(span)))
                .build();
    }

    /**
     * Adds back what of an OTLP input span the pipeline's fields do not hold ({@code CompletedSpan#otlpResidual}):
     * schema URLs, flags, times to the nanosecond, dropped counts, scope attributes, and the attributes with bytes
     * values, which replace their base64 text.
     */
    private static void mergeResidual(
            byte[] bytes, ResourceSpans.Builder resourceSpans, ScopeSpans.Builder scopeSpans, Span.Builder span) {
        ResourceSpans residual;
        try {
            residual = ResourceSpans.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            // written by OTLP input from parsed OTLP, so it always reads back
            throw new IllegalStateException("the span's OTLP residual is not an OTLP ResourceSpans", e);
        }
        resourceSpans.setSchemaUrl(residual.getSchemaUrl());
        Resource.Builder resource = resourceSpans.getResourceBuilder();
        List<KeyValue> resourceAttributes =
                withoutKeysOf(resource.getAttributesList(), residual.getResource().getAttributesList());
        resource.clearAttributes().addAllAttributes(resourceAttributes).mergeFrom(residual.getResource());
        if (residual.getScopeSpansCount() == 0) {
            return;
        }
        ScopeSpans scope = residual.getScopeSpans(0);
        scopeSpans.setSchemaUrl(scope.getSchemaUrl());
        scopeSpans.getScopeBuilder().mergeFrom(scope.getScope());
        if (scope.getSpansCount() == 0) {
            return;
        }
        Span rest = scope.getSpans(0);
        List<KeyValue> attributes = withoutKeysOf(span.getAttributesList(), rest.getAttributesList());
        span.clearAttributes().addAllAttributes(attributes).mergeFrom(rest);
    }

    /** {@code attributes} but those whose key {@code replacements} has. */
    private static List<KeyValue> withoutKeysOf(List<KeyValue> attributes, List<KeyValue> replacements) {
        Set<String> replaced = replacements.stream().map(KeyValue::getKey).collect(Collectors.toSet());
        return attributes.stream().filter(attribute -> !replaced.contains(attribute.getKey())).toList();
    }

    private static void mergeEventsAndLinks(CompletedSpan completed, Span.Builder span) {
        if (completed.events == null && completed.links == null) {
            return;
        }
        ObjectNode json = Json.mapper().createObjectNode();
        try {
            if (completed.events != null) {
                json.set("events", Json.mapper().readTree(completed.events));
            }
            if (completed.links != null) {
                json.set("links", Json.mapper().readTree(completed.links));
            }
            OtlpJson.merge(json, span);
        } catch (IOException e) {
            // written by OTLP input from parsed OTLP, so they always read back
            throw new IllegalStateException("span events or links are not OTLP/JSON", e);
        }
    }

    private static Status status(CompletedSpan completed) {
        Status.Builder status = Status.newBuilder();
        if ("error".equals(completed.statusCode) || completed.error) {
            status.setCode(Status.StatusCode.STATUS_CODE_ERROR);
            if (completed.statusMessage != null) {
                // the specification keeps a description for errors only
                status.setMessage(completed.statusMessage);
            }
        } else if ("ok".equals(completed.statusCode)) {
            status.setCode(Status.StatusCode.STATUS_CODE_OK);
        }
        return status.build();
    }

    static Span.SpanKind kind(String kind) {
        if (kind == null) {
            return Span.SpanKind.SPAN_KIND_UNSPECIFIED;
        }
        return switch (kind) {
            case "server" -> Span.SpanKind.SPAN_KIND_SERVER;
            case "client" -> Span.SpanKind.SPAN_KIND_CLIENT;
            case "internal" -> Span.SpanKind.SPAN_KIND_INTERNAL;
            case "producer" -> Span.SpanKind.SPAN_KIND_PRODUCER;
            case "consumer" -> Span.SpanKind.SPAN_KIND_CONSUMER;
            default -> Span.SpanKind.SPAN_KIND_UNSPECIFIED;
        };
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static ObjectNode object(String json) {
        if (json == null) {
            return Json.mapper().createObjectNode();
        }
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException | ClassCastException e) {
            // written by the ingest from a JSON object
            throw new IllegalStateException("attributes are not a JSON object", e);
        }
    }

    private static List<KeyValue> keyValues(JsonNode object) {
        return object.properties().stream()
                .filter(field -> !field.getValue().isNull())
                .map(field -> KeyValue.newBuilder().setKey(field.getKey()).setValue(value(field.getValue())).build())
                .toList();
    }

    private static AnyValue value(JsonNode node) {
        AnyValue.Builder value = AnyValue.newBuilder();
        if (node.isTextual()) {
            value.setStringValue(node.textValue());
        } else if (node.isBoolean()) {
            value.setBoolValue(node.booleanValue());
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            value.setIntValue(node.longValue());
        } else if (node.isNumber()) {
            value.setDoubleValue(node.doubleValue());
        } else if (node.isArray()) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            node.forEach(element -> array.addValues(value(element)));
            value.setArrayValue(array);
        } else if (node.isObject()) {
            value.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(node)));
        }
        return value.build();
    }

    /** The Kafka record key: the trace id, so that a trace's spans land in one partition. */
    public static String key(CompletedSpan completed) {
        return completed.traceId;
    }
}
