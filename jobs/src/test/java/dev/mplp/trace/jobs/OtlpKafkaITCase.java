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
 * The same spans twice through a real Kafka broker into the streaming job: once as OTLP requests
 * ({@code otlp_proto}, several spans per record, encoded by the OpenTelemetry SDK's own marshaler, as the
 * Collector's Kafka exporter writes them), once as the equivalent protocol messages (a start and a completion per
 * span). Both runs give the same alerts, field for field: every field of an alert is derived from ids, names,
 * times, status and durations, which the two carry alike. What legitimately differs between the inputs (message
 * ids, protocol version, the archive payload, {@code execution_result.success}, which OTLP does not have) never
 * reaches an alert. The OTLP run also writes the archive and its completed spans as OTLP, which parse again with
 * the official classes into the spans the SDK recorded, and the span metrics as OTLP, which add up to those spans.
 */
class OtlpKafkaITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Instant TRAFFIC_START = Instant.parse("2026-11-25T10:00:00Z");
    /** Spans per OTLP request, as a Collector's batch processor would group them. */
    private static final int SPANS_PER_REQUEST = 4;

    private static final OtelSpans OTEL = new OtelSpans();
    private static List<SpanData> spans;

    @TempDir
    Path dir;

    /**
     * Two minutes of checkout → inventory calls every 2 s: six failing inventory lookups in a row (an error burst)
     * and one checkout of 12 s (over the default 10 s duration limit).
     */
    @BeforeAll
    static void recordSpans() {
        List<SpanData> recorded = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant start = TRAFFIC_START.plusSeconds(2L * i);
            Duration length = i == 40 ? Duration.ofSeconds(12) : Duration.ofMillis(300);
            boolean failing = i >= 20 && i < 26;
            SpanData checkout = OTEL.span("checkout", "charge", SpanKind.SERVER, null, start, start.plus(length),
                    span -> span.setAttribute("http.request.method", "POST").setStatus(StatusCode.OK));
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
        KAFKA.createTopic("otlp-spans", 1);
        KAFKA.createTopic("protocol-messages", 1);
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < spans.size(); i += SPANS_PER_REQUEST) {
            requests.add(OtelSpans.protoRequest(spans.subList(i, Math.min(spans.size(), i + SPANS_PER_REQUEST))));
        }
        produce("otlp-spans", requests);
        produce("protocol-messages", protocolMessages(spans));

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
                .allSatisfy(a -> assertThat(a.get("trace_id").asText()).isEqualTo(spans.stream()
                        .filter(s -> s.getEndEpochNanos() - s.getStartEpochNanos() > 10_000_000_000L)
                        .findFirst().orElseThrow().getTraceId()));
        assertThat(JsonLinesOutput.read(dir.resolve("otlp/dlq"))).isEmpty();
        assertRoundTrip();
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

    /**
     * The OTLP run's archive holds every span, and its OTLP output, parsed with the official classes, gives back
     * every span the SDK recorded: ids, parent, name, kind, times (to the millisecond: the pipeline's time unit),
     * attributes with their types, resource, scope and status.
     */
    private void assertRoundTrip() throws Exception {
        List<io.opentelemetry.proto.trace.v1.ResourceSpans> exported = new ArrayList<>();
        for (byte[] value : readCommitted("otlp-out", spans.size())) {
            exported.addAll(ExportTraceServiceRequest.parseFrom(value).getResourceSpansList());
        }
        Map<String, io.opentelemetry.proto.trace.v1.ResourceSpans> bySpanId = new java.util.HashMap<>();
        exported.forEach(r -> bySpanId.put(
                HexFormat.of().formatHex(r.getScopeSpans(0).getSpans(0).getSpanId().toByteArray()), r));
        assertThat(bySpanId).hasSize(spans.size());
        for (SpanData recorded : spans) {
            var resourceSpans = bySpanId.get(recorded.getSpanId());
            var span = resourceSpans.getScopeSpans(0).getSpans(0);
            assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(recorded.getTraceId());
            assertThat(span.getParentSpanId().isEmpty()).isEqualTo(!recorded.getParentSpanContext().isValid());
            if (recorded.getParentSpanContext().isValid()) {
                assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray()))
                        .isEqualTo(recorded.getParentSpanId());
            }
            assertThat(span.getName()).isEqualTo(recorded.getName());
            assertThat(span.getKind().name()).isEqualTo("SPAN_KIND_" + recorded.getKind().name());
            assertThat(span.getStartTimeUnixNano() / 1_000_000).isEqualTo(recorded.getStartEpochNanos() / 1_000_000);
            assertThat(span.getEndTimeUnixNano() / 1_000_000).isEqualTo(recorded.getEndEpochNanos() / 1_000_000);
            assertThat(span.getStatus().getCode().name())
                    .isEqualTo("STATUS_CODE_" + recorded.getStatus().getStatusCode().name());
            Map<String, String> attributes = new java.util.HashMap<>();
            span.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), kv.getValue().getStringValue()));
            Map<String, String> expected = new java.util.HashMap<>();
            recorded.getAttributes().forEach((key, value) -> expected.put(key.getKey(), value.toString()));
            assertThat(attributes).isEqualTo(expected);
            assertThat(resourceSpans.getResource().getAttributesList())
                    .anySatisfy(kv -> {
                        assertThat(kv.getKey()).isEqualTo("service.name");
                        assertThat(kv.getValue().getStringValue()).isEqualTo(recorded.getResource()
                                .getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")));
                    });
            assertThat(resourceSpans.getScopeSpans(0).getScope().getName())
                    .isEqualTo(recorded.getInstrumentationScopeInfo().getName());
        }
        assertThat(ArchiveFiles.tableRows(dir.resolve("otlp/archive/spans"))).hasSize(spans.size());
        assertThat(ArchiveFiles.tableRows(dir.resolve("otlp/archive/messages"))).hasSize(2 * spans.size());
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
        // OTLP arrives when a span ends, so a start is as old as its span is long: the watermark must allow for the
        // longest span, or its start would be late and left out of detection. Both runs use the same settings.
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "kafka.starting-offsets", "earliest",
                "kafka.group-id", "otlp-it-" + format,
                "event-time.max-out-of-orderness", "30s",
                "ingest.source-format", format,
                // the one slow span's own incident
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
                            io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
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

    private static void produce(String topic, List<byte[]> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, value)));
            producer.flush();
        }
    }

    private static List<String> sortedAlerts(Path alerts) {
        return JsonLinesOutput.read(alerts).stream().map(JsonNode::toString).sorted().toList();
    }
}
