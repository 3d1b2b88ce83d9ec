package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.Environments;
import dev.mplp.trace.jobs.TracePipeline;
import dev.mplp.trace.jobs.sources.JsonLinesFormat;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.PrometheusServer;
import dev.mplp.trace.testing.ProtocolMessages;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard metrics as a real Prometheus server scrapes them from Flink's Prometheus reporter, while the job
 * runs: the job reads a file and then keeps watching it (an unbounded run, as in production), because a finished
 * job's metrics are gone from the reporter.
 */
class PrometheusMetricsITCase {

    private static final int REPORTER_PORT = freePort();
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension(Configuration.fromMap(Map.of(
            "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
            "metrics.reporter.prom.port", String.valueOf(REPORTER_PORT),
            // label values as they are (service names hold '-', message types '.'), as the README advises
            "metrics.reporter.prom.filterLabelValueCharacters", "false")));

    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of("execution.checkpointing.interval", "1s"));

    private static final Instant SPAN_A_START = ProtocolMessages.START_TIME;
    /** Far enough after span A for the watermark to release everything about A, and to time out span B. */
    private static final Instant SPAN_B_START = SPAN_A_START.plus(Duration.ofHours(1));
    private static final Instant SPAN_C_START = SPAN_A_START.plus(Duration.ofHours(2));

    private static PrometheusServer prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.scraping(List.of("127.0.0.1:" + REPORTER_PORT));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void prometheusScrapesMessagesDeadLettersAlertsOpenIncidentsAndEventTimeLag() throws Exception {
        ProtocolMessages.Message startA = ProtocolMessages.start().messageId("a-start");
        List<String> lines = List.of(
                startA.json(),
                ProtocolMessages.update()
                        .messageId("a-update")
                        .setInBody("performance_metrics.system_metrics.cpu_usage_percent", 95)
                        .json(),
                ProtocolMessages.metrics().messageId("a-metrics").json(),
                ProtocolMessages.completion().messageId("a-complete").json(),
                // dead letters: two malformed, one duplicate, one bad trace id, one unknown type
                "{not json",
                "[1, 2]",
                startA.json(),
                ProtocolMessages.update().messageId("bad-trace").traceId("xyz").json(),
                ProtocolMessages.metrics().messageId("bad-type").set("message_type", "trace.bogus").json(),
                ProtocolMessages.start().messageId("b-start").spanId("00f067aa0ba902b8").at(SPAN_B_START).json(),
                ProtocolMessages.start().messageId("c-start").spanId("00f067aa0ba902b9").at(SPAN_C_START).json());
        Path input = Files.write(dir.resolve("traffic.jsonl"), lines);
        Map<String, Double> expectedMessages = Map.of(
                MessageType.START.wireName(), 3.0,
                MessageType.UPDATE.wireName(), 1.0,
                MessageType.METRICS.wireName(), 1.0,
                MessageType.COMPLETE.wireName(), 1.0);
        Map<String, Double> expectedDeadLetters = new TreeMap<>();
        Arrays.stream(DeadLetterReason.values()).forEach(reason -> expectedDeadLetters.put(reason.wireName(), 0.0));
        expectedDeadLetters.put(DeadLetterReason.MALFORMED_JSON.wireName(), 2.0);
        expectedDeadLetters.put(DeadLetterReason.DUPLICATE.wireName(), 1.0);
        expectedDeadLetters.put(DeadLetterReason.INVALID_TRACE_ID.wireName(), 1.0);
        expectedDeadLetters.put(DeadLetterReason.UNKNOWN_MESSAGE_TYPE.wireName(), 1.0);

        CollectedAlerts.clear();
        Instant submitted = Instant.now();
        JobClient job = startWatching(input);
        try {
            // the job never ends: wait until Prometheus has scraped every count the job will reach
            awaitScraped(() -> byLabel(DashboardMetricNames.PROMETHEUS_MESSAGES, DashboardMetricNames.MESSAGE_TYPE)
                    .equals(expectedMessages));
            awaitScraped(() -> byLabel(DashboardMetricNames.PROMETHEUS_DEAD_LETTERS, DashboardMetricNames.REASON)
                    .equals(expectedDeadLetters));
            awaitScraped(() -> hasIncompleteSpanOpenFor("00f067aa0ba902b8")
                    && alertCounts().equals(expectedAlertCounts(CollectedAlerts.all())));

            // span A, the one completed span, in the RED window of its service and operation
            String operation = ProtocolMessages.SERVICE_NAME + "/" + ProtocolMessages.OPERATION_NAME;
            awaitScraped(() -> redCounts(DashboardMetricNames.PROMETHEUS_SPANS).equals(Map.of(operation, 1.0)));
            assertThat(redCounts(DashboardMetricNames.PROMETHEUS_ERROR_SPANS)).isEqualTo(Map.of(operation, 0.0));
            assertThat(redCounts(DashboardMetricNames.PROMETHEUS_LATENCY_P95_MS)).containsOnlyKeys(operation);

            List<Alert> sent = CollectedAlerts.all();
            assertThat(alertCounts()).isEqualTo(expectedAlertCounts(sent));
            assertThat(sent).extracting(alert -> alert.alertType)
                    .contains("threshold_breach", "incomplete_span");
            assertThat(byLabel(DashboardMetricNames.PROMETHEUS_OPEN_INCIDENTS, DashboardMetricNames.ALERT_TYPE))
                    .isEqualTo(expectedOpen(sent))
                    .containsEntry("incomplete_span", 1.0)
                    .containsEntry("threshold_breach", 0.0);

            // every name the dashboard may query is a series of the running job
            for (String name : DashboardMetricNames.PROMETHEUS_NAMES) {
                assertThat(prometheus.query(name)).as(name).isNotEmpty();
            }

            // the lag of the newest watermark (just behind span C's start) behind the wall clock
            JsonNode lag = prometheus.query("max(" + DashboardMetricNames.PROMETHEUS_EVENT_TIME_LAG_MS + ")");
            assertThat(lag).hasSize(1);
            double lagMillis = Double.parseDouble(lag.get(0).path("value").get(1).asText());
            assertThat(lagMillis)
                    .isGreaterThanOrEqualTo(Duration.between(SPAN_C_START, submitted).toMillis())
                    .isLessThanOrEqualTo(Duration.between(SPAN_C_START, Instant.now()).plus(
                            CONFIG.eventTime().maxOutOfOrderness()).toMillis());
        } finally {
            job.cancel().get();
        }
    }

    private static JobClient startWatching(Path input) throws Exception {
        StreamExecutionEnvironment env = Environments.create(CONFIG, new PrintStream(OutputStream.nullOutputStream()));
        FileSource<RawMessage> source = FileSource.forBulkFileFormat(
                        new JsonLinesFormat(CONFIG.ingest().maxMessageBytes()),
                        new org.apache.flink.core.fs.Path(input.toUri()))
                .monitorContinuously(Duration.ofSeconds(1))
                .build();
        DataStream<RawMessage> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw-messages");
        TracePipeline.Outputs outputs = TracePipeline.build(raw, CONFIG);
        outputs.alerts().sinkTo(new CollectedAlerts()).name("collect-alerts");
        outputs.deadLetters().sinkTo(new DiscardingSink<>()).name("discard-dead-letters");
        return env.executeAsync("prometheus-metrics");
    }

    private static Map<String, Double> byLabel(String metric, String label) {
        JsonNode series = prometheus.query("sum by (" + label + ") (" + metric + ")");
        Map<String, Double> values = new TreeMap<>();
        series.forEach(s -> values.put(
                s.path("metric").path(label).asText(), Double.parseDouble(s.path("value").get(1).asText())));
        return values;
    }

    private static Map<String, Double> redCounts(String metric) {
        JsonNode series = prometheus.query("sum by (service, operation) (" + metric + ")");
        Map<String, Double> values = new TreeMap<>();
        series.forEach(s -> values.put(
                s.path("metric").path("service").asText() + "/" + s.path("metric").path("operation").asText(),
                Double.parseDouble(s.path("value").get(1).asText())));
        return values;
    }

    private static Map<List<String>, Double> alertCounts() {
        JsonNode series = prometheus.query("sum by (alert_type, severity, state) ("
                + DashboardMetricNames.PROMETHEUS_ALERTS + ")");
        Map<List<String>, Double> values = new HashMap<>();
        series.forEach(s -> values.put(
                List.of(
                        s.path("metric").path("alert_type").asText(),
                        s.path("metric").path("severity").asText(),
                        s.path("metric").path("state").asText()),
                Double.parseDouble(s.path("value").get(1).asText())));
        return values;
    }

    private static Map<List<String>, Double> expectedAlertCounts(List<Alert> sent) {
        return sent.stream().collect(Collectors.groupingBy(
                alert -> List.of(
                        alert.alertType, alert.severity.wireName(), alert.evaluationResult.wireName()),
                Collectors.summingDouble(alert -> 1.0)));
    }

    private static Map<String, Double> expectedOpen(List<Alert> sent) {
        Map<String, Double> open = new TreeMap<>();
        for (Alert alert : sent) {
            open.merge(alert.alertType, alert.evaluationResult == AlertState.TRIGGERED ? 1.0 : -1.0, Double::sum);
        }
        return open;
    }

    private static boolean hasIncompleteSpanOpenFor(String spanId) {
        List<Alert> forSpan = new ArrayList<>();
        for (Alert alert : CollectedAlerts.all()) {
            if ("incomplete_span".equals(alert.alertType) && spanId.equals(alert.spanId)) {
                forSpan.add(alert);
            }
        }
        return forSpan.size() == 1 && forSpan.get(0).evaluationResult == AlertState.TRIGGERED;
    }

    /** Polls until the condition holds: scrapes come every second, the job's counts settle once. */
    private static void awaitScraped(Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Prometheus did not reach the expected values within " + SETTLE_TIMEOUT
                        + "; it has: messages " + byLabel(DashboardMetricNames.PROMETHEUS_MESSAGES,
                                DashboardMetricNames.MESSAGE_TYPE)
                        + ", dead letters " + byLabel(DashboardMetricNames.PROMETHEUS_DEAD_LETTERS,
                                DashboardMetricNames.REASON)
                        + ", alerts " + alertCounts() + "; the job sent " + CollectedAlerts.all());
            }
            Thread.sleep(500);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
