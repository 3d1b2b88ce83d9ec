package dev.mplp.trace.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads one OTLP {@code ExportTraceServiceRequest} per record (protobuf as the OpenTelemetry Collector's Kafka
 * exporter writes it with {@code encoding: otlp_proto}, or OTLP/JSON with {@code otlp_json}) and turns each span
 * into its start and completion (see {@link OtlpSpans}).
 *
 * <p>Accounting: a request with N valid spans yields 2N accepted messages; a span that cannot be mapped yields one
 * dead letter (its reason and path, its OTLP/JSON as payload); a record that cannot be read at all, or holds no
 * span, yields one dead letter: {@code oversize}, or {@code malformed_otlp} with the decoder's message. Record-level
 * dead letters of protobuf records keep the bytes as {@code base64:...} text.
 */
public class OtlpRequestValidator implements RecordValidator {
    private static final long serialVersionUID = 1L;

    private final boolean json;
    private final long maxMessageBytes;
    private final int deadLetterPayloadBytes;

    /**
     * @param json true for OTLP/JSON, false for protobuf
     */
    public OtlpRequestValidator(boolean json, long maxMessageBytes, int deadLetterPayloadBytes) {
        this.json = json;
        this.maxMessageBytes = maxMessageBytes;
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
    }

    @Override
    public List<Validated> validate(RawMessage raw) {
        byte[] body = raw == null || raw.body == null ? new byte[0] : raw.body;
        if (raw == null) {
            raw = new RawMessage(body, 0, null, 0L);
        }
        long size = Math.max(raw.sizeBytes, body.length);
        if (size > maxMessageBytes || raw.isTruncated()) {
            return List.of(reject(raw, body, DeadLetterReason.OVERSIZE,
                    size + " bytes (limit " + maxMessageBytes + " bytes)"));
        }
        ExportTraceServiceRequest request;
        try {
            request = json
                    ? OtlpJson.parseRequest(Utf8.decodeStrict(body))
                    : ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return List.of(reject(raw, body, DeadLetterReason.MALFORMED_OTLP,
                    "not an OTLP ExportTraceServiceRequest: " + cap(e.getMessage())));
        } catch (IOException | Rejection | RuntimeException e) {
            return List.of(reject(raw, body, DeadLetterReason.MALFORMED_OTLP,
                    "not OTLP/JSON: " + cap(e.getMessage())));
        }
        List<Validated> results = new ArrayList<>();
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                for (int k = 0; k < scopeSpans.getSpansCount(); k++) {
                    Span span = scopeSpans.getSpans(k);
                    String path = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + k + "]";
                    String payload = OtlpJson.print(ExportTraceServiceRequest.newBuilder()
                            .addResourceSpans(ResourceSpans.newBuilder(resourceSpans)
                                    .clearScopeSpans()
                                    .addScopeSpans(ScopeSpans.newBuilder(scopeSpans).clearSpans().addSpans(span)))
                            .build());
                    results.addAll(span(raw, resourceSpans, scopeSpans, span, path, payload));
                }
            }
        }
        if (results.isEmpty()) {
            return List.of(reject(raw, body, DeadLetterReason.MALFORMED_OTLP, "the request holds no spans"));
        }
        return results;
    }

    private List<Validated> span(
            RawMessage raw, ResourceSpans resourceSpans, ScopeSpans scopeSpans, Span span, String path, String payload) {
        try {
            List<TraceEvent> halves = OtlpSpans.toEvents(
                    resourceSpans, scopeSpans, span, path, payload, raw.sourcePosition, raw.ingestTime);
            return halves.stream().map(Validated::accepted).toList();
        } catch (Rejection e) {
            Utf8.Cut cut = Utf8.prefix(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), deadLetterPayloadBytes);
            return List.of(Validated.rejected(new DeadLetter(e.reason, e.detail, OtlpSpans.spanKey(span),
                    raw.sourcePosition, raw.ingestTime, cut.text(), payload.length(), !cut.complete())));
        }
    }

    private Validated reject(RawMessage raw, byte[] body, DeadLetterReason reason, String detail) {
        String text;
        boolean truncated;
        if (json) {
            Utf8.Cut cut = Utf8.prefix(body, deadLetterPayloadBytes);
            text = cut.text();
            truncated = !cut.complete() || raw.isTruncated();
        } else {
            // binary: base64 of as many bytes as fit in the payload limit once encoded
            int keep = Math.min(body.length, deadLetterPayloadBytes / 4 * 3);
            text = "base64:" + Base64.getEncoder().encodeToString(Arrays.copyOf(body, keep));
            truncated = keep < body.length || raw.isTruncated();
        }
        return Validated.rejected(new DeadLetter(reason, detail, null, raw.sourcePosition, raw.ingestTime, text,
                Math.max(raw.sizeBytes, body.length), truncated));
    }

    private static String cap(String text) {
        if (text == null) {
            return "";
        }
        int max = MessageValidator.MAX_DETAIL_CHARS;
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
