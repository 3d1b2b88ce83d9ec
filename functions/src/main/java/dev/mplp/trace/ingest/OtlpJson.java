package dev.mplp.trace.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mplp.trace.json.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) through protobuf's own JSON mapping,
 * which already follows it (lowerCamelCase names, enums as names or integers, 64-bit integers as strings or
 * numbers) except for one rule: trace and span ids are hex, not base64. This class converts the id fields
 * ({@code traceId}, {@code spanId}, {@code parentSpanId}, in spans and links) between the two on the way in and out.
 */
public final class OtlpJson {

    private static final Set<String> ID_FIELDS =
            Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {}

    /** A request from OTLP/JSON text; the message names what is wrong with it. */
    public static ExportTraceServiceRequest parseRequest(String json) throws IOException {
        JsonNode root = Json.mapper().readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("top level is not a JSON object");
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        merge(root, request);
        return request.build();
    }

    /** Merges OTLP/JSON (ids in hex) into any OTLP message's builder. */
    public static void merge(JsonNode json, Message.Builder builder) throws IOException {
        JsonNode copy = json.deepCopy();
        convertIds(copy, "", true);
        PARSER.merge(Json.mapper().writeValueAsString(copy), builder);
    }

    /** Any OTLP message as OTLP/JSON, ids in hex. */
    public static String print(Message message) {
        try {
            JsonNode root = Json.mapper().readTree(PRINTER.print(message));
            convertIds(root, "", false);
            return Json.mapper().writeValueAsString(root);
        } catch (IOException e) {
            // protobuf writes every OTLP message as JSON, which Jackson reads
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
    }

    private static void convertIds(JsonNode node, String path, boolean hexToBase64) throws IOException {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                convertIds(node.get(i), path + "[" + i + "]", hexToBase64);
            }
        } else if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    field.setValue(new TextNode(hexToBase64 ? base64(value.textValue(), fieldPath) : hex(value.textValue())));
                } else {
                    convertIds(value, fieldPath, hexToBase64);
                }
            }
        }
    }

    private static String base64(String hex, String path) throws IOException {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IOException(path + " is not hex: \"" + (hex.length() > 40 ? hex.substring(0, 40) + "..." : hex) + "\"");
        }
    }

    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }
}
