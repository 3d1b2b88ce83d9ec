package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.OtelSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpRequestValidatorTest {

    private static final Instant CHARGE_START = Instant.parse("2026-11-25T10:00:00.123456789Z");
    private static final Instant CHARGE_END = CHARGE_START.plusMillis(1500);
    private static final Instant LOOKUP_START = CHARGE_START.plusMillis(100);
    private static final Instant LOOKUP_END = CHARGE_START.plusMillis(400);
    private static final Instant FAILED_AT = CHARGE_START.plusMillis(300);
    private static final long INGEST_TIME = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
    private static final byte[] DIGEST = {0x00, (byte) 0xfe, 0x10, 0x7f};

    private final OtelSpans otel = new OtelSpans();
    private final OtlpRequestValidator proto = new OtlpRequestValidator(false, 1 << 20, 4096);
    private final OtlpRequestValidator json = new OtlpRequestValidator(true, 1 << 20, 4096);

    @AfterEach
    void close() {
        otel.close();
    }

    private List<SpanData> checkoutSpans() {
        SpanContext remoteParent = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build());
        SpanData charge = otel.span("checkout", "charge", SpanKind.SERVER, remoteParent, CHARGE_START, CHARGE_END,
                span -> span.setAttribute("http.request.method", "POST")
                        .setAttribute("http.response.status_code", 200L)
                        .setAttribute("retry", true)
                        .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                        .setAttribute(AttributeKey.valueKey("request.digest"), Value.of(DIGEST))
                        .setAttribute(AttributeKey.valueKey("request.parts"), Value.of(Value.of("head"), Value.of(DIGEST)))
                        .setStatus(StatusCode.OK));
        SpanData lookup = otel.span("inventory", "lookup", SpanKind.CLIENT, charge.getSpanContext(), LOOKUP_START,
                LOOKUP_END, span -> span
                        .addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "Timeout"),
                                FAILED_AT)
                        .setStatus(StatusCode.ERROR, "stock service timed out"));
        return List.of(charge, lookup);
    }

    private static RawMessage raw(byte[] bytes) {
        return new RawMessage(bytes, bytes.length, "kafka:otlp_spans/0@7", INGEST_TIME);
    }

    private static List<TraceEvent> accepted(List<Validated> results) {
        assertThat(results).allMatch(Validated::isAccepted);
        return results.stream().map(Validated::event).toList();
    }

    @Test
    void eachSpanOfAProtobufRequestBecomesAStartAndACompletion() throws Exception {
        List<SpanData> spans = checkoutSpans();
        List<TraceEvent> events = accepted(proto.validate(raw(OtelSpans.protoRequest(spans))));

        assertThat(events).hasSize(4);
        SpanData charge = spans.get(0);
        TraceEvent start = events.stream()
                .filter(e -> e.spanId.equals(charge.getSpanId()) && e.messageType == MessageType.START)
                .findFirst().orElseThrow();
        assertThat(start.traceId).isEqualTo(charge.getTraceId());
        assertThat(start.parentSpanId).isEqualTo("b7ad6b7169203331");
        assertThat(start.messageId).isEqualTo("otlp:" + charge.getTraceId() + ":" + charge.getSpanId() + ":start");
        assertThat(start.eventTime).isEqualTo(CHARGE_END.toEpochMilli());
        assertThat(start.spanStartTime).isEqualTo(CHARGE_START.toEpochMilli());
        assertThat(start.serviceName).isEqualTo("checkout");
        assertThat(start.senderId).isEqualTo("checkout-1");
        assertThat(start.operationName).isEqualTo("charge");
        assertThat(start.spanKind).isEqualTo("server");
        assertThat(start.traceState).isEqualTo("vendor=v1");
        assertThat(start.thresholds).isNotNull();
        assertThat(start.sourcePosition).isEqualTo("kafka:otlp_spans/0@7");
        JsonNode attributes = Json.mapper().readTree(start.attributes);
        assertThat(attributes.get("http.request.method").textValue()).isEqualTo("POST");
        assertThat(attributes.get("http.response.status_code").isIntegralNumber()).isTrue();
        assertThat(attributes.get("http.response.status_code").longValue()).isEqualTo(200L);
        assertThat(attributes.get("retry").booleanValue()).isTrue();
        assertThat(attributes.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(attributes.get("request.digest").textValue()).isEqualTo(Base64.getEncoder().encodeToString(DIGEST));
        assertThat(attributes.get("otel.scope.name").textValue()).isEqualTo("dev.mplp.trace.tests");
        assertThat(Json.mapper().readTree(start.resourceAttributes).get("service.name").textValue())
                .isEqualTo("checkout");

        TraceEvent completion = events.stream()
                .filter(e -> e.spanId.equals(charge.getSpanId()) && e.messageType == MessageType.COMPLETE)
                .findFirst().orElseThrow();
        assertThat(completion.eventTime).isEqualTo(CHARGE_END.toEpochMilli());
        assertThat(completion.statusCode).isEqualTo("ok");
        assertThat(completion.status).isEqualTo("completed");
        assertThat(completion.measurements.durationMs).isEqualTo(1500.0);
        assertThat(completion.measurements.errorCount).isNull();
        assertThat(Json.mapper().readTree(completion.payload).at("/resourceSpans/0/scopeSpans/0/spans/0/spanId")
                .textValue()).isEqualTo(charge.getSpanId());

        SpanData lookup = spans.get(1);
        TraceEvent failed = events.stream()
                .filter(e -> e.spanId.equals(lookup.getSpanId()) && e.messageType == MessageType.COMPLETE)
                .findFirst().orElseThrow();
        assertThat(failed.statusCode).isEqualTo("error");
        assertThat(failed.status).isEqualTo("failed");
        assertThat(failed.statusMessage).isEqualTo("stock service timed out");
        assertThat(failed.measurements.errorCount).isEqualTo(1L);
        assertThat(Json.mapper().readTree(failed.events).get(0).get("name").textValue()).isEqualTo("exception");
    }

    @Test
    void whatTheFieldsCannotHoldGoesWithTheCompletionAsOtlp() throws Exception {
        List<SpanData> spans = checkoutSpans();
        byte[] request = OtelSpans.protoRequest(spans);
        SpanData charge = spans.get(0);
        Span sent = ExportTraceServiceRequest.parseFrom(request).getResourceSpansList().stream()
                .flatMap(r -> r.getScopeSpans(0).getSpansList().stream())
                .filter(span -> HexFormat.of().formatHex(span.getSpanId().toByteArray()).equals(charge.getSpanId()))
                .findFirst().orElseThrow();
        TraceEvent completion = accepted(proto.validate(raw(request))).stream()
                .filter(e -> e.spanId.equals(charge.getSpanId()) && e.messageType == MessageType.COMPLETE)
                .findFirst().orElseThrow();

        ResourceSpans residual = ResourceSpans.parseFrom(completion.otlpResidual);

        assertThat(residual.getSchemaUrl()).isEqualTo(OtelSpans.RESOURCE_SCHEMA_URL);
        assertThat(residual.getResource().getAttributesList()).isEmpty();
        ScopeSpans scope = residual.getScopeSpans(0);
        assertThat(scope.getSchemaUrl()).isEqualTo(OtelSpans.SCOPE_SCHEMA_URL);
        assertThat(scope.getScope().getName()).isEmpty();
        Span rest = scope.getSpans(0);
        // sampled, and its parent's remoteness known and remote (the SDK's own encoding)
        assertThat(rest.getFlags()).isEqualTo(sent.getFlags()).isEqualTo(0x301);
        assertThat(rest.getStartTimeUnixNano()).isEqualTo(charge.getStartEpochNanos());
        assertThat(rest.getEndTimeUnixNano()).isEqualTo(charge.getEndEpochNanos());
        assertThat(rest.getAttributesList()).extracting(KeyValue::getKey)
                .containsExactly("request.digest", "request.parts");
        assertThat(rest.getAttributes(0).getValue().getBytesValue().toByteArray()).isEqualTo(DIGEST);
        assertThat(rest.getAttributes(1).getValue().getArrayValue().getValues(1).getBytesValue().toByteArray())
                .isEqualTo(DIGEST);
        assertThat(rest.toBuilder().clearFlags().clearStartTimeUnixNano().clearEndTimeUnixNano().clearAttributes()
                .build()).isEqualTo(Span.getDefaultInstance());
    }

    @Test
    void otlpJsonGivesTheSameMessagesAsProtobuf() {
        List<SpanData> spans = checkoutSpans();
        List<TraceEvent> fromProto = accepted(proto.validate(raw(OtelSpans.protoRequest(spans))));
        List<TraceEvent> fromJson = accepted(json.validate(
                raw(OtelSpans.jsonRequest(spans).getBytes(StandardCharsets.UTF_8))));

        assertThat(fromJson).containsExactlyElementsOf(fromProto);
    }

    @Test
    void bytesThatAreNoRequestAreOneDeadLetterKeepingThemAsBase64() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};

        List<Validated> results = proto.validate(raw(garbage));

        assertThat(results).hasSize(1);
        DeadLetter dead = results.get(0).deadLetter();
        assertThat(dead.reason).isEqualTo(DeadLetterReason.MALFORMED_OTLP);
        assertThat(dead.detail).startsWith("not an OTLP ExportTraceServiceRequest");
        assertThat(dead.rawPayload).isEqualTo("base64:////AQ==");
        assertThat(dead.sourcePosition).isEqualTo("kafka:otlp_spans/0@7");
    }

    @Test
    void aProtocolMessageReadAsOtlpJsonHoldsNoSpans() {
        List<Validated> results = json.validate(raw("{\"message_type\":\"trace.execution.start\"}"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.deadLetter().reason).isEqualTo(DeadLetterReason.MALFORMED_OTLP);
            assertThat(result.deadLetter().detail).isEqualTo("the request holds no spans");
        });
    }

    @Test
    void aJsonIdThatIsNotHexNamesItsPath() {
        String request = OtelSpans.jsonRequest(checkoutSpans()).replaceFirst("\"spanId\":\"[0-9a-f]{16}\"",
                "\"spanId\":\"not-hex\"");

        List<Validated> results = json.validate(raw(request.getBytes(StandardCharsets.UTF_8)));

        assertThat(results).singleElement().satisfies(result -> assertThat(result.deadLetter().detail)
                .isEqualTo("not OTLP/JSON: resourceSpans[0].scopeSpans[0].spans[0].spanId is not hex: \"not-hex\""));
    }

    @Test
    void anInvalidSpanIsOneDeadLetterAndTheOthersGoOn() throws Exception {
        ExportTraceServiceRequest.Builder request =
                ExportTraceServiceRequest.parseFrom(OtelSpans.protoRequest(checkoutSpans())).toBuilder();
        var firstScope = request.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
        firstScope.getSpansBuilder(0).setTraceId(ByteString.copyFrom(new byte[16]));

        List<Validated> results = proto.validate(raw(request.build().toByteArray()));

        assertThat(results).hasSize(3);
        assertThat(results.stream().filter(Validated::isAccepted)).hasSize(2);
        DeadLetter dead = results.stream().filter(r -> !r.isAccepted()).findFirst().orElseThrow().deadLetter();
        assertThat(dead.reason).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
        assertThat(dead.detail).isEqualTo("resourceSpans[0].scopeSpans[0].spans[0].traceId");
        assertThat(dead.messageId).startsWith("otlp:00000000000000000000000000000000:");
        assertThat(dead.rawPayload).contains("\"resourceSpans\"");
    }

    @Test
    void aSpanEndingBeforeItStartsIsAnInvalidTimestamp() throws Exception {
        ExportTraceServiceRequest.Builder request =
                ExportTraceServiceRequest.parseFrom(OtelSpans.protoRequest(checkoutSpans().subList(0, 1))).toBuilder();
        var span = request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
        span.setEndTimeUnixNano(span.getStartTimeUnixNano() - 1);

        assertThat(proto.validate(raw(request.build().toByteArray()))).singleElement()
                .satisfies(result -> assertThat(result.deadLetter().reason)
                        .isEqualTo(DeadLetterReason.INVALID_TIMESTAMP));
    }

    @Test
    void aRecordOverTheSizeLimitIsNotParsed() {
        byte[] request = OtelSpans.protoRequest(checkoutSpans());
        OtlpRequestValidator small = new OtlpRequestValidator(false, request.length - 1, 16);

        assertThat(small.validate(raw(request))).singleElement().satisfies(result -> {
            assertThat(result.deadLetter().reason).isEqualTo(DeadLetterReason.OVERSIZE);
            assertThat(result.deadLetter().payloadTruncated).isTrue();
        });
    }
}
