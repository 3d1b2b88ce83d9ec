package dev.mplp.trace.sinks.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mplp.trace.records.CompletedSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtlpSpanExportTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00.250Z");
    private static final Instant END = START.plusMillis(1750);

    private static CompletedSpan protocolSpan() {
        CompletedSpan span = new CompletedSpan();
        span.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        span.spanId = "00f067aa0ba902b7";
        span.parentSpanId = "b7ad6b7169203331";
        span.serviceName = "mplp-workflow-service";
        span.operationName = "workflow_execution";
        span.spanKind = "server";
        span.startTime = START.toEpochMilli();
        span.endTime = END.toEpochMilli();
        span.statusCode = "ok";
        span.attributes = "{\"http.status_code\":200,\"custom.compliance_required\":true,\"sampling.ratio\":0.25,"
                + "\"tags\":[\"a\",1],\"nested\":{\"k\":\"v\"},\"baggage.workflow_id\":\"wf-001\"}";
        span.resourceAttributes = "{\"host.name\":\"pod-001\",\"process.pid\":1}";
        span.traceState = "rojo=00f067aa0ba902b7";
        return span;
    }

    private static Map<String, AnyValue> attributes(Iterable<KeyValue> keyValues) {
        Map<String, AnyValue> map = new java.util.LinkedHashMap<>();
        keyValues.forEach(kv -> map.put(kv.getKey(), kv.getValue()));
        return map;
    }

    @Test
    void aProtocolSpanBecomesOneOtlpSpanThatParsesWithTheOfficialClasses() throws Exception {
        byte[] bytes = new OtlpSpanRecords().serialize(protocolSpan());

        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
        ResourceSpans resourceSpans = request.getResourceSpans(0);
        Span span = resourceSpans.getScopeSpans(0).getSpans(0);

        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
        assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
        assertThat(span.getName()).isEqualTo("workflow_execution");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(START.toEpochMilli() * 1_000_000);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(END.toEpochMilli() * 1_000_000);
        assertThat(span.getTraceState()).isEqualTo("rojo=00f067aa0ba902b7");
        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        Map<String, AnyValue> attributes = attributes(span.getAttributesList());
        assertThat(attributes.get("http.status_code").getIntValue()).isEqualTo(200L);
        assertThat(attributes.get("custom.compliance_required").getBoolValue()).isTrue();
        assertThat(attributes.get("sampling.ratio").getDoubleValue()).isEqualTo(0.25);
        assertThat(attributes.get("tags").getArrayValue().getValuesList())
                .extracting(AnyValue::toString)
                .containsExactly(AnyValue.newBuilder().setStringValue("a").build().toString(),
                        AnyValue.newBuilder().setIntValue(1).build().toString());
        assertThat(attributes.get("nested").getKvlistValue().getValues(0).getValue().getStringValue()).isEqualTo("v");
        assertThat(attributes.get("baggage.workflow_id").getStringValue()).isEqualTo("wf-001");
        Map<String, AnyValue> resource = attributes(resourceSpans.getResource().getAttributesList());
        assertThat(resource.get("service.name").getStringValue()).isEqualTo("mplp-workflow-service");
        assertThat(resource.get("host.name").getStringValue()).isEqualTo("pod-001");
        assertThat(resource.get("process.pid").getIntValue()).isEqualTo(1L);
        assertThat(resourceSpans.getScopeSpans(0).getScope().getName()).isEqualTo(OtlpSpanExport.DEFAULT_SCOPE);
        assertThat(OtlpSpanExport.key(protocolSpan())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aFailedSpanIsAnErrorWithItsMessageAndARootSpanHasNoParent() {
        CompletedSpan failed = protocolSpan();
        failed.parentSpanId = null;
        failed.statusCode = "unset";
        failed.error = true;
        failed.statusMessage = "payment declined";
        failed.spanKind = "batch";

        Span span = OtlpSpanExport.request(failed).getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span.getParentSpanId().isEmpty()).isTrue();
        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(span.getStatus().getMessage()).isEqualTo("payment declined");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_UNSPECIFIED);
    }

    @Test
    void eventsLinksAndScopeFromOtlpInputGoBackOut() {
        CompletedSpan fromOtlp = protocolSpan();
        fromOtlp.attributes = "{\"otel.scope.name\":\"io.example.shop\",\"otel.scope.version\":\"2.1\",\"k\":\"v\"}";
        fromOtlp.events = "[{\"timeUnixNano\":\"1764064800300000000\",\"name\":\"exception\","
                + "\"attributes\":[{\"key\":\"exception.type\",\"value\":{\"stringValue\":\"Timeout\"}}]}]";
        fromOtlp.links = "[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\"}]";

        ResourceSpans resourceSpans = OtlpSpanExport.request(fromOtlp).getResourceSpans(0);
        Span span = resourceSpans.getScopeSpans(0).getSpans(0);

        assertThat(resourceSpans.getScopeSpans(0).getScope().getName()).isEqualTo("io.example.shop");
        assertThat(resourceSpans.getScopeSpans(0).getScope().getVersion()).isEqualTo("2.1");
        assertThat(span.getAttributesList().stream().map(KeyValue::getKey).collect(Collectors.toList()))
                .containsExactly("k");
        assertThat(span.getEvents(0).getName()).isEqualTo("exception");
        assertThat(span.getEvents(0).getTimeUnixNano()).isEqualTo(1764064800300000000L);
        assertThat(span.getEvents(0).getAttributes(0).getValue().getStringValue()).isEqualTo("Timeout");
        assertThat(HexFormat.of().formatHex(span.getLinks(0).getTraceId().toByteArray()))
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(HexFormat.of().formatHex(span.getLinks(0).getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void whatTheFieldsOfAnOtlpSpanCannotHoldGoesBackOutAsItCame() {
        ByteString digest = ByteString.copyFrom(new byte[] {0x00, (byte) 0xfe, 0x10, 0x7f});
        long startNanos = START.toEpochMilli() * 1_000_000 + 123_456;
        long endNanos = END.toEpochMilli() * 1_000_000 + 654_321;
        ResourceSpans residual = ResourceSpans.newBuilder()
                .setSchemaUrl("https://opentelemetry.io/schemas/1.37.0")
                .setResource(Resource.newBuilder()
                        .addAttributes(keyValue("host.id", AnyValue.newBuilder().setBytesValue(digest)))
                        .setDroppedAttributesCount(2))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.36.0")
                        .setScope(InstrumentationScope.newBuilder()
                                .addAttributes(keyValue("library.language", AnyValue.newBuilder().setStringValue("java"))))
                        .addSpans(Span.newBuilder()
                                .setFlags(0x301)
                                .setStartTimeUnixNano(startNanos)
                                .setEndTimeUnixNano(endNanos)
                                .setDroppedEventsCount(3)
                                .addAttributes(keyValue("request.digest", AnyValue.newBuilder().setBytesValue(digest)))))
                .build();
        CompletedSpan fromOtlp = protocolSpan();
        String digestText = Base64.getEncoder().encodeToString(digest.toByteArray());
        fromOtlp.attributes = "{\"otel.scope.name\":\"io.example.shop\",\"request.digest\":\"" + digestText
                + "\",\"k\":\"v\"}";
        fromOtlp.resourceAttributes = "{\"host.id\":\"" + digestText + "\"}";
        fromOtlp.otlpResidual = residual.toByteArray();

        ResourceSpans resourceSpans = OtlpSpanExport.request(fromOtlp).getResourceSpans(0);
        ScopeSpans scopeSpans = resourceSpans.getScopeSpans(0);
        Span span = scopeSpans.getSpans(0);

        assertThat(resourceSpans.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.37.0");
        assertThat(resourceSpans.getResource().getDroppedAttributesCount()).isEqualTo(2);
        assertThat(attributes(resourceSpans.getResource().getAttributesList()))
                .containsEntry("host.id", AnyValue.newBuilder().setBytesValue(digest).build())
                .containsKey("service.name")
                .hasSize(2);
        assertThat(scopeSpans.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.36.0");
        assertThat(scopeSpans.getScope().getName()).isEqualTo("io.example.shop");
        assertThat(scopeSpans.getScope().getAttributes(0).getKey()).isEqualTo("library.language");
        assertThat(span.getFlags()).isEqualTo(0x301);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(startNanos);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(endNanos);
        assertThat(span.getDroppedEventsCount()).isEqualTo(3);
        assertThat(span.getName()).isEqualTo("workflow_execution");
        assertThat(attributes(span.getAttributesList()))
                .containsOnlyKeys("k", "request.digest")
                .containsEntry("request.digest", AnyValue.newBuilder().setBytesValue(digest).build());
    }

    private static KeyValue keyValue(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
