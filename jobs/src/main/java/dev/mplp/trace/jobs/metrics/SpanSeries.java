package dev.mplp.trace.jobs.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.CompletedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which series of the span metrics a completed span counts in: the label values of spanmetrics' dimensions
 * ({@code service_name}, {@code span_name}, {@code span_kind}, {@code status_code}, in spanmetrics' spelling of
 * the enum values, e.g. {@code SPAN_KIND_SERVER}, {@code STATUS_CODE_ERROR}) followed by the configured extra
 * attribute dimensions.
 */
final class SpanSeries {

    static final String SERVICE_NAME = "service_name";
    static final String SPAN_NAME = "span_name";
    static final String SPAN_KIND = "span_kind";
    static final String STATUS_CODE = "status_code";
    /** The OTel SDKs' service name for a span whose service is not known (its start was never seen). */
    static final String UNKNOWN_SERVICE = "unknown_service";

    private final List<String> dimensions;

    SpanSeries(List<String> dimensions) {
        this.dimensions = List.copyOf(dimensions);
    }

    /** The label keys, in the order of {@link #labelValues}: Prometheus spelling (dots become underscores). */
    List<String> labelKeys() {
        List<String> keys = new ArrayList<>(List.of(SERVICE_NAME, SPAN_NAME, SPAN_KIND, STATUS_CODE));
        dimensions.forEach(dimension -> keys.add(dimension.replaceAll("[^a-zA-Z0-9_]", "_")));
        return keys;
    }

    List<String> labelValues(CompletedSpan span) {
        List<String> values = new ArrayList<>(4 + dimensions.size());
        values.add(span.serviceName == null ? UNKNOWN_SERVICE : span.serviceName);
        values.add(span.operationName == null ? "" : span.operationName);
        values.add(span.spanKind == null
                ? "SPAN_KIND_UNSPECIFIED"
                : "SPAN_KIND_" + span.spanKind.toUpperCase(Locale.ROOT));
        values.add(statusCode(span));
        if (!dimensions.isEmpty()) {
            JsonNode attributes = attributes(span);
            for (String dimension : dimensions) {
                JsonNode value = attributes.path(dimension);
                values.add(value.isMissingNode() || value.isNull()
                        ? ""
                        : value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return values;
    }

    /** An error span (status error, or a failed execution) is {@code STATUS_CODE_ERROR} whatever its status says. */
    private static String statusCode(CompletedSpan span) {
        if (span.error) {
            return "STATUS_CODE_ERROR";
        }
        return "ok".equals(span.statusCode) ? "STATUS_CODE_OK" : "STATUS_CODE_UNSET";
    }

    private static JsonNode attributes(CompletedSpan span) {
        if (span.attributes == null) {
            return Json.mapper().missingNode();
        }
        try {
            return Json.mapper().readTree(span.attributes);
        } catch (JsonProcessingException e) {
            // the lifecycle wrote it from a parsed message: never malformed; no dimension values if it were
            return Json.mapper().missingNode();
        }
    }
}
