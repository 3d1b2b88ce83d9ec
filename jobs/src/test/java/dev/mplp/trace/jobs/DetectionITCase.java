package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.OperationSpec;
import dev.mplp.trace.generator.ServiceSpec;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.ProtocolMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The detectors over generated traffic, through the whole streaming job on a MiniCluster. */
class DetectionITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of("execution.checkpointing.interval", "1s"));
    private static final String DURATION_RULE = "threshold.duration_ms";

    @TempDir
    Path dir;

    @Test
    void everySpanOverItsOwnDurationThresholdIsOneBreachAndEachSlowOperationOneIncident() throws Exception {
        Path input = generate(twoSlowOperations());

        run(input, dir.resolve("run"));

        Set<String> overThreshold = spansOverTheirDurationThreshold(input);
        assertThat(overThreshold).as("the faults make some spans too slow").hasSizeGreaterThan(10);
        Map<String, List<JsonNode>> breaches = JsonLinesOutput.read(dir.resolve("run").resolve("breaches")).stream()
                .filter(breach -> breach.get("alert_rule_id").asText().equals(DURATION_RULE))
                .collect(Collectors.groupingBy(breach -> span(breach.get("trace_id"), breach.get("span_id"))));
        assertThat(breaches.keySet()).as("the evidence: every slow span, no other").isEqualTo(overThreshold);
        breaches.forEach((span, records) -> assertThat(records).as("span %s", span).hasSize(1));

        List<JsonNode> incidents = alerts(dir.resolve("run")).stream()
                .filter(alert -> alert.get("alert_rule_id").asText().equals(DURATION_RULE))
                .toList();
        assertThat(incidents)
                .as("one incident per slow operation, about its spans, not one per span")
                .extracting(
                        a -> a.get("service_name").asText() + "/" + a.get("operation_name").asText(),
                        a -> a.get("trace_id").isNull(),
                        a -> a.get("evaluation_result").asText())
                .containsExactlyInAnyOrder(
                        tuple("checkout/charge", true, "triggered"),
                        tuple("checkout/charge", true, "resolved"),
                        tuple("catalog/search_products", true, "triggered"),
                        tuple("catalog/search_products", true, "resolved"));
        assertThat(incidents).allSatisfy(incident -> assertThat(incident.get("exemplars"))
                .isNotEmpty()
                .allSatisfy(exemplar -> assertThat(span(exemplar.get("trace_id"), exemplar.get("span_id")))
                        .as("an exemplar is a slow span")
                        .isIn(overThreshold)));
    }

    @Test
    void twoRunsOverTheSameInputWriteTheSameAlertsByteForByte() throws Exception {
        Path input = generate(breachesOutOfOrderAndDuplicates());

        run(input, dir.resolve("first"));
        run(input, dir.resolve("second"));

        List<String> first = sortedLines(dir.resolve("first").resolve("alerts"));
        assertThat(first).hasSizeGreaterThan(20);
        assertThat(sortedLines(dir.resolve("second").resolve("alerts"))).isEqualTo(first);
    }

    @Test
    void aDoubledLatencyOnOneOfTwentyOperationsIsTheOnlyDegradationOverTwoHoursOfNoise() throws Exception {
        Instant faultStart = GeneratorSettings.DEFAULT_START.plus(Duration.ofMinutes(70));
        Instant faultEnd = faultStart.plus(Duration.ofMinutes(10));
        Path input = generate(oneDegradationInTwoHours());

        run(input, dir.resolve("run"));

        List<JsonNode> degradations = alerts(dir.resolve("run")).stream()
                .filter(alert -> alert.get("alert_type").asText().equals("performance_degradation"))
                .toList();
        assertThat(degradations)
                .as("one incident, on the degraded operation only, about its latency")
                .extracting(
                        a -> a.get("service_name").asText() + "/" + a.get("operation_name").asText(),
                        a -> a.get("metric").asText(),
                        a -> a.get("evaluation_result").asText())
                .containsExactly(
                        tuple("svc-3/op-2", "latency_p95_ms", "triggered"),
                        tuple("svc-3/op-2", "latency_p95_ms", "resolved"));
        JsonNode triggered = degradations.get(0);
        JsonNode resolved = degradations.get(1);
        assertThat(resolved.get("alert_id")).isEqualTo(triggered.get("alert_id"));
        assertThat(Instant.parse(triggered.get("window_start").asText()))
                .as("found within three windows of the fault's start")
                .isBefore(faultStart.plus(Duration.ofMinutes(3)));
        assertThat(triggered.get("actual_value").asDouble()).isGreaterThan(triggered.get("baseline_value").asDouble());
        assertThat(Instant.parse(resolved.get("window_start").asText()))
                .as("resolved once the fault is over, not before")
                .isAfterOrEqualTo(faultEnd)
                .isBefore(faultEnd.plus(Duration.ofMinutes(5)));
    }

    @Test
    void metricsThatPrecedeTheirSpansStartAreNamedRaiseOneSustainedCpuIncidentAndLeaveNoIncidentOpen()
            throws Exception {
        // a collector clock 300 ms ahead of the service's: each span's metrics seem to precede its start, well
        // within the out-of-orderness hold; 20 spans over 95 % CPU, 30 s apart, then 10 back at 40 %
        Instant first = Instant.parse("2025-09-03T10:00:00Z");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String traceId = String.format("%032x", 0xc0ffee00L + i);
            Instant started = first.plusSeconds(30L * i);
            lines.add(ProtocolMessages.start().messageId("start-" + i).traceId(traceId).at(started).json());
            lines.add(ProtocolMessages.metrics()
                    .messageId("metrics-" + i)
                    .traceId(traceId)
                    .at(started.minusMillis(300))
                    .setInBody("system_metrics.cpu.usage_percent", i < 20 ? 95.0 : 40.0)
                    .json());
            lines.add(ProtocolMessages.completion()
                    .messageId("complete-" + i)
                    .traceId(traceId)
                    .at(started.plusSeconds(5))
                    .setInBody("performance_summary.failed_operations", 0)
                    .json());
        }
        Path input = dir.resolve("metrics-ahead.jsonl");
        Files.write(input, lines);

        run(input, dir.resolve("run"));

        List<JsonNode> alerts = alerts(dir.resolve("run"));
        assertThat(alerts)
                .filteredOn(a -> a.get("metric").asText().equals("cpu_usage_percent"))
                .as("one CPU incident of the operation (sustained, and every span over the limit), named, triggered "
                        + "then recovered")
                .extracting(
                        a -> a.get("service_name").asText() + "/" + a.get("operation_name").asText(),
                        a -> a.get("alert_rule_id").asText(),
                        a -> a.get("evaluation_result").asText())
                .containsExactly(
                        tuple(ProtocolMessages.SERVICE_NAME + "/" + ProtocolMessages.OPERATION_NAME,
                                "threshold.cpu_usage_percent", "triggered"),
                        tuple(ProtocolMessages.SERVICE_NAME + "/" + ProtocolMessages.OPERATION_NAME,
                                "threshold.cpu_usage_percent", "resolved"));
        assertThat(JsonLinesOutput.read(dir.resolve("run").resolve("breaches")))
                .filteredOn(a -> a.get("alert_type").asText().equals("threshold_breach"))
                .as("each span's CPU breach as evidence, named from its start")
                .hasSize(20)
                .allSatisfy(a -> assertThat(a.get("service_name").asText()).isEqualTo(ProtocolMessages.SERVICE_NAME));
        Map<String, List<String>> resultsByIncident = alerts.stream().collect(Collectors.groupingBy(
                a -> a.get("alert_id").asText(),
                TreeMap::new,
                Collectors.mapping(a -> a.get("evaluation_result").asText(), Collectors.toList())));
        assertThat(resultsByIncident).as("no incident left open").allSatisfy((id, results) ->
                assertThat(results).containsExactly("triggered", "resolved"));
    }

    @Test
    void aSingleSpanOverItsCpuLimitIsEvidenceButNoIncident() throws Exception {
        Instant first = Instant.parse("2025-09-03T10:00:00Z");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String traceId = String.format("%032x", 0x5b1ce00L + i);
            Instant started = first.plusSeconds(30L * i);
            lines.add(ProtocolMessages.start().messageId("start-" + i).traceId(traceId).at(started).json());
            lines.add(ProtocolMessages.metrics()
                    .messageId("metrics-" + i)
                    .traceId(traceId)
                    .at(started.plusSeconds(1))
                    .setInBody("system_metrics.cpu.usage_percent", i == 15 ? 95.0 : 40.0)
                    .json());
            lines.add(ProtocolMessages.completion().messageId("complete-" + i).traceId(traceId)
                    .at(started.plusSeconds(5)).setInBody("performance_summary.failed_operations", 0).json());
        }
        Path input = dir.resolve("spike.jsonl");
        Files.write(input, lines);

        run(input, dir.resolve("run"));

        assertThat(alerts(dir.resolve("run"))).as("nothing paged").isEmpty();
        assertThat(JsonLinesOutput.read(dir.resolve("run").resolve("breaches")))
                .extracting(a -> a.get("metric").asText(), a -> a.get("trace_id").asText())
                .containsExactly(tuple("cpu_usage_percent", String.format("%032x", 0x5b1ce00L + 15)));
    }

    /** Two operations slowed down four- and fivefold: spans over their duration threshold. */
    static GeneratorSettings twoSlowOperations() {
        return GeneratorSettings.builder()
                .seed(5)
                .duration(Duration.ofMinutes(2))
                .rate(4)
                .fault("latency:checkout/charge@+30s/40s:factor=5")
                .fault("latency:catalog/search_products@+1m/20s:factor=4")
                .build();
    }

    /** A slow operation, a CPU breach, messages out of order and duplicated. */
    static GeneratorSettings breachesOutOfOrderAndDuplicates() {
        return GeneratorSettings.builder()
                .seed(8)
                .duration(Duration.ofSeconds(90))
                .rate(4)
                .fault("latency:checkout/charge@+20s/30s:factor=5")
                .fault("cpu:catalog@+30s/30s:percent=97")
                .fault("out_of_order:*@+40s/30s:fraction=0.3,max_delay=3s")
                .fault("duplicate:*:fraction=0.02")
                .build();
    }

    /** Two hours of twenty operations, one of them twice as slow from minute 70 to 80. */
    static GeneratorSettings oneDegradationInTwoHours() {
        return GeneratorSettings.builder()
                .seed(17)
                .start(GeneratorSettings.DEFAULT_START)
                .duration(Duration.ofHours(2))
                .rate(5)
                .services(twentyOperations())
                // fewer updates and metrics than the default: the windows count spans, not messages
                .updateInterval(Duration.ofSeconds(5))
                .metricsInterval(Duration.ofSeconds(30))
                .fault("latency:svc-3/op-2@+70m/10m:factor=2")
                .build();
    }

    /** Five services of four operations each, with distinct latencies. */
    private static List<ServiceSpec> twentyOperations() {
        List<ServiceSpec> services = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            List<OperationSpec> operations = new ArrayList<>();
            for (int o = 1; o <= 4; o++) {
                operations.add(new OperationSpec("op-" + o, 40 + 30 * s + 60 * o, 0.3));
            }
            services.add(ServiceSpec.of("svc-" + s, operations.toArray(OperationSpec[]::new)));
        }
        return services;
    }

    private Path generate(GeneratorSettings settings) throws IOException {
        Path input = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(settings), input, 0);
        return input;
    }

    private static RunSummary run(Path input, Path out) throws Exception {
        StreamJob.Options options = StreamJob.Options.of(
                new Endpoint.File(input),
                new Endpoint.File(out.resolve("alerts")),
                new Endpoint.File(out.resolve("dlq")),
                new Endpoint.File(out.resolve("late")),
                false).withBreaches(new Endpoint.File(out.resolve("breaches")));
        RunSummary summary = StreamJob.run(
                options, CONFIG, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(summary.balanced()).isTrue();
        return summary;
    }

    /** From the input itself: the spans whose completion reports a total over the limit their start declared. */
    private static Set<String> spansOverTheirDurationThreshold(Path input) throws IOException {
        Map<String, Double> limits = new HashMap<>();
        Map<String, Double> totals = new HashMap<>();
        for (String line : Files.readAllLines(input)) {
            JsonNode message = MAPPER.readTree(line);
            String type = message.get("message_type").asText();
            if (type.equals("trace.execution.start")) {
                JsonNode start = message.at("/payload/trace_start");
                JsonNode limit = start.at("/monitoring_configuration/alert_thresholds/duration_ms");
                limits.put(span(start.get("trace_id"), start.get("span_id")),
                        limit.isMissingNode() ? CONFIG.detection().thresholds().defaults().durationMs()
                                : limit.asDouble());
            } else if (type.equals("trace.execution.complete")) {
                JsonNode completion = message.at("/payload/trace_completion");
                totals.put(span(completion.get("trace_id"), completion.get("span_id")),
                        completion.at("/final_metrics/total_duration_ms").asDouble());
            }
        }
        Set<String> over = new TreeSet<>();
        totals.forEach((span, total) -> {
            if (limits.containsKey(span) && total > limits.get(span)) {
                over.add(span);
            }
        });
        return over;
    }

    private static String span(JsonNode traceId, JsonNode spanId) {
        return traceId.asText() + "/" + spanId.asText();
    }

    private static List<JsonNode> alerts(Path out) {
        List<JsonNode> alerts = new ArrayList<>(JsonLinesOutput.read(out.resolve("alerts")));
        // an incident's records share a timestamp when one message opens and closes it: triggered goes first
        alerts.sort(Comparator.<JsonNode, String>comparing(a -> a.get("evaluation_timestamp").asText())
                .thenComparing(a -> a.get("evaluation_result").asText().equals("triggered") ? 0 : 1));
        return alerts;
    }

    private static List<String> sortedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        lines.sort(null);
        return lines;
    }
}
