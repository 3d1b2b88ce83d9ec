package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.Environments;
import dev.mplp.trace.jobs.TracePipeline;
import dev.mplp.trace.jobs.sources.JsonLinesFormat;
import dev.mplp.trace.net.FreePorts;
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
import java.io.UncheckedIOException;
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
 * job's metrics are gone from the reporter. Prometheus relabels them as {@code docker/prometheus/prometheus.yml}
 * does, so the names are those dashboards and alerting rules query.
 */
class PrometheusMetricsITCase {

    private static final int REPORTER_PORT = FreePorts.next();
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension(Configuration.fromMap(Map.of(
            "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
            "metrics.reporter.prom.port", String.valueOf(REPORTER_PORT),
            // label values as they are (service names hold '-', message types '.'), as the README advises
            "metrics.reporter.prom.filterLabelValueCharacters", "false")));

    /** Pages per span (detection.incidents.page-per-span): the metrics count single spans' incidents. */
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of(
            "execution.checkpointing.interval", "1s", "detection.incidents.page-per-span", "true"));

    private static final Instant SPAN_A_START = ProtocolMessages.START_TIME;
    /** Far enough after span A for the watermark to release everything about A, and to time out span B. */
    private static final Instant SPAN_B_START = SPAN_A_START.plus(Duration.ofHours(1));
    private static final Instant SPAN_C_START = SPAN_A_START.plus(Duration.ofHours(2));

    /** A second operation of the service, with a spread of durations for the histogram. */
    private static final String CHARGE = "charge";
    private static final int CHARGE_SPANS = 100;

    private static PrometheusServer prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.scraping(List.of("127.0.0.1:" + REPORTER_PORT), composeRelabelling());
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** The {@code metric_relabel_configs} of the compose file's Prometheus, scraping Flink. */
    private static JsonNode composeRelabelling() {
        try {
            JsonNode config = new YAMLMapper().readTree(Path.of("..", "docker", "prometheus", "prometheus.yml").toFile());
            for (JsonNode scrape : config.path("scrape_configs")) {
                if ("flink".equals(scrape.path("job_name").asText())) {
                    return scrape.path("metric_relabel_configs");
                }
            }
            throw new IllegalStateException("docker/prometheus/prometheus.yml has no scrape config 'flink'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void prometheusScrapesMessagesDeadLettersAlertsOpenIncidentsSpanMetricsAndEventTimeLag() throws Exception {
        ProtocolMessages.Message startA = ProtocolMessages.start().messageId("a-start");
        List<String> lines = new ArrayList<>(List.of(
                startA.json(),
                ProtocolMessages.update()
                        .messageId("a-update")
                        .setInBody("performance_metrics.system_metrics.cpu_usage_percent", 95)
                        .json(),
                ProtocolMessages.metrics().messageId("a-metrics").json(),
                ProtocolMessages.completion().messageId("a-complete").json()));
        List<Double> chargeSeconds = new ArrayList<>();
        for (int i = 1; i <= CHARGE_SPANS; i++) {
            long durationMs = 5L * i;
            String spanId = String.format("%016x", 0xc0000L + i);
            Instant start = SPAN_A_START.plusSeconds(i);
            lines.add(ProtocolMessages.start().messageId("charge-start-" + i).spanId(spanId).at(start)
                    .setInBody("operation_name", CHARGE).json());
            lines.add(ProtocolMessages.completion().messageId("charge-complete-" + i).spanId(spanId)
                    .at(start.plusMillis(durationMs)).setInBody("final_metrics.total_duration_ms", durationMs).json());
            chargeSeconds.add(durationMs / 1000.0);
        }
        lines.addAll(List.of(
                // dead letters: two malformed, one duplicate, one bad trace id, one unknown type
                "{not json",
                "[1, 2]",
                startA.json(),
                ProtocolMessages.update().messageId("bad-trace").traceId("xyz").json(),
                ProtocolMessages.metrics().messageId("bad-type").set("message_type", "trace.bogus").json(),
                ProtocolMessages.start().messageId("b-start").spanId("00f067aa0ba902b8").at(SPAN_B_START).json(),
                ProtocolMessages.start().messageId("c-start").spanId("00f067aa0ba902b9").at(SPAN_C_START).json()));
        Path input = Files.write(dir.resolve("traffic.jsonl"), lines);
        Map<String, Double> expectedMessages = Map.of(
                MessageType.START.wireName(), 3.0 + CHARGE_SPANS,
                MessageType.UPDATE.wireName(), 1.0,
                MessageType.METRICS.wireName(), 1.0,
                MessageType.COMPLETE.wireName(), 1.0 + CHARGE_SPANS);
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
            awaitScraped(() -> byLabel(DashboardMetricNames.MESSAGES_TOTAL, DashboardMetricNames.MESSAGE_TYPE)
                    .equals(expectedMessages));
            awaitScraped(() -> byLabel(DashboardMetricNames.DEAD_LETTERS_TOTAL, DashboardMetricNames.REASON)
                    .equals(expectedDeadLetters));
            awaitScraped(() -> hasIncompleteSpanOpenFor("00f067aa0ba902b8")
                    && alertCounts().equals(expectedAlertCounts(CollectedAlerts.all())));

            // the completed spans in their span series: span A and the charges
            String workflow = ProtocolMessages.SERVICE_NAME + "/" + ProtocolMessages.OPERATION_NAME
                    + "/SPAN_KIND_SERVER/STATUS_CODE_OK";
            String charge = ProtocolMessages.SERVICE_NAME + "/" + CHARGE + "/SPAN_KIND_SERVER/STATUS_CODE_OK";
            Map<String, Double> calls = Map.of(workflow, 1.0, charge, (double) CHARGE_SPANS);
            awaitScraped(() -> spanSeries(DashboardMetricNames.CALLS_TOTAL).equals(calls));
            assertThat(spanSeries(DashboardMetricNames.DURATION_SECONDS_COUNT)).isEqualTo(calls);
            assertThat(spanSeries(DashboardMetricNames.DURATION_SECONDS_SUM))
                    .containsEntry(workflow, 5.45)
                    .hasEntrySatisfying(charge, sum -> assertThat(sum).isCloseTo(
                            chargeSeconds.stream().mapToDouble(Double::doubleValue).sum(), within(1e-9)));
            assertP99WithinTheBucketOfTheInputs(charge, chargeSeconds);

            List<Alert> sent = CollectedAlerts.all();
            assertThat(alertCounts()).isEqualTo(expectedAlertCounts(sent));
            assertThat(sent).extracting(alert -> alert.alertType)
                    .contains("threshold_breach", "incomplete_span");
            assertThat(byLabel(DashboardMetricNames.OPEN_INCIDENTS, DashboardMetricNames.ALERT_TYPE))
                    .isEqualTo(expectedOpen(sent))
                    .containsEntry("incomplete_span", 1.0)
                    .containsEntry("threshold_breach", 0.0);

            // every name the dashboard and the alerting rules may query is a series of the running job (but the
            // Kafka source's lag: this job reads a file)
            for (String name : DashboardMetricNames.PROMETHEUS_NAMES) {
                assertThat(prometheus.query(name)).as(name).isNotEmpty();
            }
            for (String name : DashboardMetricNames.FLINK_NAMES) {
                if (!name.equals(DashboardMetricNames.KAFKA_PENDING_RECORDS)) {
                    assertThat(prometheus.query(name)).as(name).isNotEmpty();
                }
            }

            // the lag of the newest watermark (just behind span C's start) behind the wall clock
            JsonNode lag = prometheus.query("max(" + DashboardMetricNames.EVENT_TIME_LAG_SECONDS + ")");
            assertThat(lag).hasSize(1);
            double lagSeconds = Double.parseDouble(lag.get(0).path("value").get(1).asText());
            assertThat(lagSeconds)
                    .isGreaterThanOrEqualTo(Duration.between(SPAN_C_START, submitted).toMillis() / 1000.0)
                    .isLessThanOrEqualTo(Duration.between(SPAN_C_START, Instant.now()).plus(
                            CONFIG.eventTime().maxOutOfOrderness()).toMillis() / 1000.0);
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

    /** Summed over subtasks by service/span name/span kind/status code, spanmetrics' dimensions. */
    private static Map<String, Double> spanSeries(String metric) {
        JsonNode series = prometheus.query(
                "sum by (service_name, span_name, span_kind, status_code) (" + metric + ")");
        Map<String, Double> values = new TreeMap<>();
        series.forEach(s -> values.put(
                String.join("/",
                        s.path("metric").path("service_name").asText(),
                        s.path("metric").path("span_name").asText(),
                        s.path("metric").path("span_kind").asText(),
                        s.path("metric").path("status_code").asText()),
                Double.parseDouble(s.path("value").get(1).asText())));
        return values;
    }

    /**
     * What a dashboard's p99 panel computes, over everything counted so far (no rate: the job counted every span
     * before this query), lies in the bucket that holds the p99 of the input's durations (nearest rank).
     */
    private static void assertP99WithinTheBucketOfTheInputs(String operation, List<Double> durationsSeconds) {
        String[] labels = operation.split("/");
        JsonNode answer = prometheus.query("histogram_quantile(0.99, sum by (le) ("
                + DashboardMetricNames.DURATION_SECONDS_BUCKET + "{service_name=\"" + labels[0] + "\", span_name=\""
                + labels[1] + "\"}))");
        assertThat(answer).hasSize(1);
        double p99 = Double.parseDouble(answer.get(0).path("value").get(1).asText());

        List<Double> sorted = durationsSeconds.stream().sorted().toList();
        double inputP99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
        List<Double> bounds = CONFIG.spanMetrics().bucketsSeconds();
        int bucket = 0;
        while (bucket < bounds.size() && inputP99 > bounds.get(bucket)) {
            bucket++;
        }
        double lower = bucket == 0 ? 0 : bounds.get(bucket - 1);
        double upper = bucket == bounds.size() ? Double.POSITIVE_INFINITY : bounds.get(bucket);
        assertThat(p99).as("p99 of %s (the input's: %s s, in the bucket (%s, %s])", operation, inputP99, lower, upper)
                .isGreaterThan(lower)
                .isLessThanOrEqualTo(upper);
    }

    private static Map<List<String>, Double> alertCounts() {
        JsonNode series = prometheus.query("sum by (alert_type, severity, state) ("
                + DashboardMetricNames.ALERTS_TOTAL + ")");
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
                        + "; it has: messages " + byLabel(DashboardMetricNames.MESSAGES_TOTAL,
                                DashboardMetricNames.MESSAGE_TYPE)
                        + ", dead letters " + byLabel(DashboardMetricNames.DEAD_LETTERS_TOTAL,
                                DashboardMetricNames.REASON)
                        + ", alerts " + alertCounts() + "; the job sent " + CollectedAlerts.all());
            }
            Thread.sleep(500);
        }
    }
}
