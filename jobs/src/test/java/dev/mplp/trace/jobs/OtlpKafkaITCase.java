package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.testing.KafkaBrokerExtension;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.OtelSpans;
import dev.mplp.trace.testing.ProtocolMessages;
import com.google.protobuf.ByteString;
import dev.mplp.trace.ingest.OtlpJson;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashMap;
import org.apache.parquet.example.data.Group;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same spans twice through a real Kafka broker into the streaming job, with the default configuration (the
 * hold, {@code event-time.max-out-of-orderness}, is 5 s): once as OTLP requests ({@code otlp_proto}, several spans
 * per record, encoded by the OpenTelemetry SDK's own marshaler, in the order the spans ended, as a Collector's Kafka
 * exporter writes them, over a topic of two partitions), once as the equivalent protocol messages (a start and a
 * completion per span). Several spans last longer than the hold: an OTLP span enters whole at its end, so none of it
 * is late. Both runs give the same alerts, field for field: every field of an alert is derived from ids, names,
 * times, status and durations, which the two carry alike. What legitimately differs between the inputs (message
 * ids, protocol version, the archive payload, {@code execution_result.success}, which OTLP does not have) never
 * reaches an alert. The OTLP run also writes the archive and its completed spans as OTLP: the archived payloads and
 * the OTLP output parse again with the official classes into the very spans the SDK sent (flags, schema URLs and
 * bytes values included), and the span metrics as OTLP add up to those spans.
 */
class OtlpKafkaITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Instant TRAFFIC_START = Instant.parse("2026-11-25T10:00:00Z");
    /** Spans per OTLP request, as a Collector's batch processor would group them. */
    private static final int SPANS_PER_REQUEST = 4;
    /** The OTLP topic's partitions, the requests spread over them in turn. */
    private static final int OTLP_PARTITIONS = 2;

    private static final OtelSpans OTEL = new OtelSpans();
    private static List<SpanData> spans;

    @TempDir
    Path dir;

    /**
     * Two minutes of checkout → inventory calls every 2 s: six failing inventory lookups in a row (an error burst),
     * six checkouts of 7 s (longer than the hold) and one of 12 s (over the default 10 s duration limit); each
     * checkout carries a bytes attribute.
     */
    @BeforeAll
    static void recordSpans() {
        List<SpanData> recorded = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant start = TRAFFIC_START.plusSeconds(2L * i);
            Duration length = i == 40 ? Duration.ofSeconds(12)
                    : i % 10 == 5 ? Duration.ofSeconds(7)
                    : Duration.ofMillis(300);
            boolean failing = i >= 20 && i < 26;
            byte[] digest = {(byte) i, (byte) 0xfe, 0x00, 0x7f};
            SpanData checkout = OTEL.span("checkout", "charge", SpanKind.SERVER, null, start, start.plus(length),
                    span -> span.setAttribute("http.request.method", "POST")
                            .setAttribute(AttributeKey.valueKey("request.digest"), Value.of(digest))
                            .setStatus(StatusCode.OK));
            SpanData lookup = OTEL.span("inventory", "lookup", SpanKind.CLIENT, checkout.getSpanContext(),
                    start.plusMillis(50), start.plusMillis(150),
                    span -> span.setStatus(failing ? StatusCode.ERROR : StatusCode.UNSET));
            recorded.add(lookup);
            recorded.add(checkout);
        }
        recorded.sort(Comparator.comparingLong(SpanData::getEndEpochNanos));
        spans = recorded;
    }

    @AfterAll
    static void closeSdk() {
        OTEL.close();
    }

    @Test
    void otlpSpansGiveTheSameAlertsAsTheEquivalentProtocolMessages() throws Exception {
        KAFKA.createTopic("otlp-spans", OTLP_PARTITIONS);
        KAFKA.createTopic("protocol-messages", 1);
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < spans.size(); i += SPANS_PER_REQUEST) {
            requests.add(OtelSpans.protoRequest(spans.subList(i, Math.min(spans.size(), i + SPANS_PER_REQUEST))));
        }
        produce("otlp-spans", OTLP_PARTITIONS, requests);
        produce("protocol-messages", 1, protocolMessages(spans));

        KAFKA.createTopic("otlp-out", 1);
        KAFKA.createTopic("otlp-metrics", 1);
        RunSummary otlp = run("otlp-spans", "otlp_proto", dir.resolve("otlp"), true);
        RunSummary protocol = run("protocol-messages", "mplp", dir.resolve("protocol"), false);

        assertThat(otlp.records()).isEqualTo(requests.size());
        assertThat(otlp.read()).isEqualTo(2L * spans.size()).isEqualTo(protocol.read());
        assertThat(otlp.accepted()).isEqualTo(otlp.read());
        assertThat(otlp.balanced()).isTrue();
        assertThat(protocol.accepted()).isEqualTo(protocol.read());
        assertThat(otlp.late()).isZero();

        List<String> otlpAlerts = sortedAlerts(dir.resolve("otlp/alerts"));
        List<String> protocolAlerts = sortedAlerts(dir.resolve("protocol/alerts"));
        assertThat(otlpAlerts).isNotEmpty().containsExactlyElementsOf(protocolAlerts);
        List<JsonNode> alerts = JsonLinesOutput.read(dir.resolve("otlp/alerts"));
        assertThat(alerts).extracting(a -> a.get("alert_type").asText())
                .contains("threshold_breach", "error_burst");
        assertThat(alerts).filteredOn(a -> a.get("alert_type").asText().equals("threshold_breach"))
                .isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.get("trace_id").asText()).isEqualTo(spans.stream()
                            .filter(s -> s.getEndEpochNanos() - s.getStartEpochNanos() > 10_000_000_000L)
                            .findFirst().orElseThrow().getTraceId());
                    assertThat(a.get("service_name").asText()).isEqualTo("checkout");
                    assertThat(a.get("operation_name").asText()).isEqualTo("charge");
                });
        assertThat(JsonLinesOutput.read(dir.resolve("otlp/dlq"))).isEmpty();
        Map<String, ResourceSpans> sent = sentBySpanId(requests);
        assertExportedAsSent(sent);
        assertArchivedWhole(sent);
        assertSpanMetrics();
    }

    /**
     * The OTLP metrics, one request per span series and minute of event time (the two minutes of traffic), parsed
     * with the official classes: calls and histogram counts per series add up to the spans, the bucket counts to
     * the count, and the exemplar of the slowest minute of checkout/charge is the 12 s span.
     */
    private void assertSpanMetrics() throws Exception {
        // checkout/charge ok, inventory/lookup unset and error, each in both minutes
        List<ExportMetricsServiceRequest> requests = new ArrayList<>();
        for (byte[] value : readCommitted("otlp-metrics", 6)) {
            requests.add(ExportMetricsServiceRequest.parseFrom(value));
        }
        Map<String, Long> calls = new java.util.TreeMap<>();
        Map<String, Long> histogramCounts = new java.util.TreeMap<>();
        List<io.opentelemetry.proto.metrics.v1.Exemplar> chargeExemplars = new ArrayList<>();
        for (ExportMetricsServiceRequest request : requests) {
            var resourceMetrics = request.getResourceMetrics(0);
            String service = resourceMetrics.getResource().getAttributes(0).getValue().getStringValue();
            var metrics = resourceMetrics.getScopeMetrics(0).getMetricsList();
            assertThat(metrics).extracting(io.opentelemetry.proto.metrics.v1.Metric::getName)
                    .containsExactly("traces.span.metrics.calls", "traces.span.metrics.duration");
            var callsPoint = metrics.get(0).getSum().getDataPoints(0);
            var durationPoint = metrics.get(1).getHistogram().getDataPoints(0);
            assertThat(metrics.get(1).getUnit()).isEqualTo("s");
            Map<String, String> attributes = new java.util.HashMap<>();
            callsPoint.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), kv.getValue().getStringValue()));
            String series = String.join("/", service, attributes.get("span.name"), attributes.get("span.kind"),
                    attributes.get("status.code"));
            calls.merge(series, callsPoint.getAsInt(), Long::sum);
            histogramCounts.merge(series, durationPoint.getCount(), Long::sum);
            assertThat(durationPoint.getBucketCountsList().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(durationPoint.getCount());
            assertThat(durationPoint.getTimeUnixNano() - durationPoint.getStartTimeUnixNano())
                    .isEqualTo(Duration.ofMinutes(1).toNanos());
            if (series.startsWith("checkout/charge/")) {
                chargeExemplars.addAll(durationPoint.getExemplarsList());
            }
        }
        Map<String, Long> expected = Map.of(
                "checkout/charge/SPAN_KIND_SERVER/STATUS_CODE_OK", 60L,
                "inventory/lookup/SPAN_KIND_CLIENT/STATUS_CODE_UNSET", 54L,
                "inventory/lookup/SPAN_KIND_CLIENT/STATUS_CODE_ERROR", 6L);
        assertThat(calls).isEqualTo(expected);
        assertThat(histogramCounts).isEqualTo(expected);
        SpanData slowest = spans.stream()
                .max(Comparator.comparingLong(span -> span.getEndEpochNanos() - span.getStartEpochNanos()))
                .orElseThrow();
        assertThat(chargeExemplars).anySatisfy(exemplar -> {
            assertThat(HexFormat.of().formatHex(exemplar.getTraceId().toByteArray())).isEqualTo(slowest.getTraceId());
            assertThat(HexFormat.of().formatHex(exemplar.getSpanId().toByteArray())).isEqualTo(slowest.getSpanId());
            assertThat(exemplar.getAsDouble()).isEqualTo(12.0);
        });
    }

    /** Each span the SDK sent, by span id, as a request of its own would hold it: its resource, scope and itself. */
    private static Map<String, ResourceSpans> sentBySpanId(List<byte[]> requests) throws Exception {
        Map<String, ResourceSpans> bySpanId = new HashMap<>();
        for (byte[] request : requests) {
            for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(request).getResourceSpansList()) {
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        bySpanId.put(hex(span.getSpanId()), resourceSpans.toBuilder()
                                .clearScopeSpans()
                                .addScopeSpans(scopeSpans.toBuilder().clearSpans().addSpans(span))
                                .build());
                    }
                }
            }
        }
        assertThat(bySpanId).hasSize(spans.size());
        assertThat(bySpanId.values()).allSatisfy(sent -> {
            assertThat(sent.getSchemaUrl()).isEqualTo(OtelSpans.RESOURCE_SCHEMA_URL);
            assertThat(sent.getScopeSpans(0).getSchemaUrl()).isEqualTo(OtelSpans.SCOPE_SCHEMA_URL);
            assertThat(sent.getScopeSpans(0).getSpans(0).getFlags()).isNotZero();
        });
        return bySpanId;
    }

    /**
     * The OTLP output, parsed with the official classes, gives back every span as the SDK sent it: ids, parent,
     * name, kind, times, flags, attributes with their types (bytes as bytes), resource and scope with their schema
     * URLs, status (attributes compared whatever their order).
     */
    private void assertExportedAsSent(Map<String, ResourceSpans> sent) throws Exception {
        Map<String, ResourceSpans> exported = new HashMap<>();
        for (byte[] value : readCommitted("otlp-out", spans.size())) {
            for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(value).getResourceSpansList()) {
                exported.put(hex(resourceSpans.getScopeSpans(0).getSpans(0).getSpanId()), resourceSpans);
            }
        }
        assertThat(exported).hasSameSizeAs(sent);
        sent.forEach((spanId, span) -> assertThat(attributesSorted(exported.get(spanId))).as(spanId)
                .isEqualTo(attributesSorted(span)));
    }

    /**
     * The archive holds every span whole: in {@code messages}, both halves with the span as it came (OTLP/JSON that
     * parses into the very span sent); in {@code spans}, its names, kind, parent, start and end.
     */
    private void assertArchivedWhole(Map<String, ResourceSpans> sent) throws Exception {
        List<Group> messages = ArchiveFiles.tableRows(dir.resolve("otlp/archive/messages"));
        assertThat(messages).hasSize(2 * spans.size());
        for (Group message : messages) {
            String spanId = ArchiveFiles.string(message, "span_id");
            assertThat(OtlpJson.parseRequest(ArchiveFiles.string(message, "payload")).getResourceSpans(0))
                    .as(spanId)
                    .isEqualTo(sent.get(spanId));
        }
        Map<String, Group> archived = new HashMap<>();
        ArchiveFiles.tableRows(dir.resolve("otlp/archive/spans"))
                .forEach(row -> archived.put(ArchiveFiles.string(row, "span_id"), row));
        assertThat(archived).hasSize(spans.size());
        for (SpanData recorded : spans) {
            Group row = archived.get(recorded.getSpanId());
            assertThat(ArchiveFiles.string(row, "service_name")).isEqualTo(recorded.getResource()
                    .getAttribute(AttributeKey.stringKey("service.name")));
            assertThat(ArchiveFiles.string(row, "operation_name")).isEqualTo(recorded.getName());
            assertThat(ArchiveFiles.string(row, "span_kind")).isEqualTo(recorded.getKind().name().toLowerCase());
            assertThat(ArchiveFiles.string(row, "parent_span_id")).isEqualTo(
                    recorded.getParentSpanContext().isValid() ? recorded.getParentSpanId() : null);
            assertThat(ArchiveFiles.int64(row, "start_time")).isEqualTo(recorded.getStartEpochNanos() / 1_000_000);
            assertThat(ArchiveFiles.int64(row, "end_time")).isEqualTo(recorded.getEndEpochNanos() / 1_000_000);
        }
    }

    /** The span with its resource's and its own attributes sorted by key: their order carries no meaning. */
    private static ResourceSpans attributesSorted(ResourceSpans resourceSpans) {
        ResourceSpans.Builder sorted = resourceSpans.toBuilder();
        sorted.getResourceBuilder().clearAttributes()
                .addAllAttributes(byKey(resourceSpans.getResource().getAttributesList()));
        Span.Builder span = sorted.getScopeSpansBuilder(0).getSpansBuilder(0);
        List<KeyValue> attributes = byKey(span.getAttributesList());
        span.clearAttributes().addAllAttributes(attributes);
        return sorted.build();
    }

    private static List<KeyValue> byKey(List<KeyValue> attributes) {
        return attributes.stream().sorted(Comparator.comparing(KeyValue::getKey)).toList();
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    private static List<byte[]> readCommitted(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private RunSummary run(String topic, String format, Path out, boolean withOtlpOutAndArchive) throws Exception {
        // the default hold (event-time.max-out-of-orderness 5s), shorter than the longest spans
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "kafka.starting-offsets", "earliest",
                "kafka.group-id", "otlp-it-" + format,
                "ingest.source-format", format,
                // the slow spans' own incidents
                "detection.incidents.page-per-span", "true"));
        return StreamJob.run(
                new StreamJob.Options(
                        Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/" + topic),
                        new Endpoint.File(out.resolve("alerts")),
                        new Endpoint.File(out.resolve("dlq")),
                        null,
                        true,
                        withOtlpOutAndArchive ? ArchiveLocation.parse("file:" + out.resolve("archive")) : null,
                        null,
                        withOtlpOutAndArchive
                                ? Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/otlp-out")
                                : null,
                        null,
                        withOtlpOutAndArchive
                                ? Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/otlp-metrics")
                                : null,
                        null),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A start at the span's start and a completion at its end, in event-time order, with the span's facts only. */
    private static List<byte[]> protocolMessages(List<SpanData> spans) {
        record Timed(long at, byte[] json) {}
        List<Timed> messages = new ArrayList<>();
        for (SpanData span : spans) {
            Instant start = Instant.ofEpochSecond(0, span.getStartEpochNanos());
            Instant end = Instant.ofEpochSecond(0, span.getEndEpochNanos());
            boolean failed = span.getStatus().getStatusCode() == StatusCode.ERROR;
            ProtocolMessages.Message startMessage = ProtocolMessages.start()
                    .messageId("start-" + span.getSpanId())
                    .traceId(span.getTraceId())
                    .spanId(span.getSpanId())
                    .parentSpanId(span.getParentSpanContext().isValid() ? span.getParentSpanId() : null)
                    .setInBody("service_name", span.getResource().getAttribute(
                            AttributeKey.stringKey("service.name")))
                    .setInBody("operation_name", span.getName())
                    .setInBody("span_kind", span.getKind().name().toLowerCase())
                    .removeFromBody("monitoring_configuration")
                    .at(start);
            ProtocolMessages.Message completion = ProtocolMessages.completion()
                    .messageId("complete-" + span.getSpanId())
                    .traceId(span.getTraceId())
                    .spanId(span.getSpanId())
                    .setInBody("status", failed ? "failed" : "completed")
                    .setInBody("span_status", ProtocolMessages.object("status_code", failed ? "error"
                            : span.getStatus().getStatusCode() == StatusCode.OK ? "ok" : "unset"))
                    .setInBody("execution_result", ProtocolMessages.object("success", !failed))
                    .setInBody("final_metrics", ProtocolMessages.object(
                            "total_duration_ms", Duration.between(start, end).toMillis()))
                    .removeFromBody("performance_summary")
                    .at(end);
            messages.add(new Timed(start.toEpochMilli(), startMessage.bytes()));
            messages.add(new Timed(end.toEpochMilli(), completion.bytes()));
        }
        messages.sort(Comparator.comparingLong(Timed::at));
        return messages.stream().map(Timed::json).toList();
    }

    /** The values in order, spread over the topic's partitions in turn. */
    private static void produce(String topic, int partitions, List<byte[]> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, values.get(i)));
            }
            producer.flush();
        }
    }

    private static List<String> sortedAlerts(Path alerts) {
        return JsonLinesOutput.read(alerts).stream().map(JsonNode::toString).sorted().toList();
    }
}
