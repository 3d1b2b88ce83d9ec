package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.FaultSpec;
import dev.mplp.trace.generator.FaultType;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.jobs.cli.DemoCommand;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's traffic (its faults, seed, duration, rate and settings) through the streaming job: what is paged is a
 * few dozen incidents, not one per span, and every fault the detectors should find is one incident on its service
 * and operation whose exemplars are spans of that fault; every span that broke its own limit is in the breaches
 * output instead.
 */
class DemoIncidentsITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant START = GeneratorSettings.DEFAULT_START;

    @TempDir
    static Path dir;

    private static List<GeneratedMessage> traffic;
    private static List<JsonNode> alerts;
    private static List<JsonNode> breaches;

    @BeforeAll
    static void runTheDemosTraffic() throws Exception {
        GeneratorSettings.Builder demo = GeneratorSettings.builder()
                .seed(42)
                .start(START)
                .duration(Duration.ofMinutes(12))
                .rate(6);
        DemoCommand.FAULTS.forEach(demo::fault);
        TrafficGenerator generator = new TrafficGenerator(demo.build());
        traffic = new ArrayList<>();
        Path input = dir.resolve("traffic.jsonl");
        List<String> lines = new ArrayList<>();
        generator.forEach(message -> {
            traffic.add(message);
            lines.add(message.json());
        });
        Files.write(input, lines);
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "detection.baseline.warm-up-windows", DemoCommand.DEMO_SETTINGS.get("detection.baseline.warm-up-windows"),
                "detection.incidents.trace-url", "https://jaeger.example/trace/{trace_id}"));
        Path out = dir.resolve("out");
        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(
                                new Endpoint.File(input),
                                new Endpoint.File(out.resolve("alerts")),
                                new Endpoint.File(out.resolve("dlq")),
                                null,
                                false)
                        .withBreaches(new Endpoint.File(out.resolve("breaches"))),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(summary.balanced()).isTrue();
        alerts = JsonLinesOutput.read(out.resolve("alerts"));
        breaches = JsonLinesOutput.read(out.resolve("breaches"));
    }

    /** The rules that find each kind of fault on its operations. */
    private static final Map<FaultType, Set<String>> RULES = Map.of(
            FaultType.CPU, Set.of("threshold.cpu_usage_percent"),
            FaultType.INCOMPLETE, Set.of("pattern.incomplete_span"),
            FaultType.LATENCY, Set.of("threshold.duration_ms", "target.max_latency_p95_ms",
                    "degradation.latency_p95_ms", "trend.latency_p95_ms"),
            FaultType.ERRORS, Set.of("threshold.error_rate_percent", "target.max_error_rate_percent",
                    "degradation.error_rate_percent"));
    /** How long after its fault an incident may still start: the sliding window of the incidents. */
    private static final Duration DETECTION_LAG = Duration.ofMinutes(5);

    @Test
    void aFewDozenIncidentsArePagedWhileEveryBreachingSpanIsEvidence() {
        Map<String, List<String>> incidents = alerts.stream().collect(Collectors.groupingBy(
                a -> a.get("alert_id").asText() + " " + a.get("alert_type").asText() + " "
                        + a.get("alert_rule_id").asText() + " " + a.get("service_name").asText() + "/"
                        + a.get("operation_name").asText() + " " + a.get("started_at").asText(),
                Collectors.mapping(a -> a.get("evaluation_result").asText(), Collectors.toList())));
        assertThat(incidents).as("a few dozen incidents").hasSizeBetween(10, 60);
        assertThat(incidents).as("each triggered once, resolved at most once")
                .allSatisfy((id, results) -> assertThat(results).containsOnlyOnce("triggered").hasSizeLessThan(3));
        // the sustained latency breach of catalog/list_categories is still open when the input ends: it holds its
        // incident open, as it did the sustained_breach incident it was before
        assertThat(incidents.entrySet().stream().filter(incident -> incident.getValue().size() == 1).toList())
                .as("open at the end of the input")
                .hasSizeLessThan(2);
        assertThat(alerts).as("no page about one span").allSatisfy(a -> assertThat(a.get("span_id").isNull()).isTrue());

        assertThat(breaches).as("every span over its own limit, as the old per-span pages were").hasSizeGreaterThan(1000);
        assertThat(breaches).allSatisfy(breach -> {
            assertThat(breach.get("evaluation_result").asText()).isEqualTo("triggered");
            assertThat(breach.get("trace_id").isNull()).isFalse();
            assertThat(breach.get("span_id").isNull()).isFalse();
            assertThat(breach.get("actual_value").isNull()).isFalse();
            assertThat(breach.get("threshold_value").isNull()).isFalse();
        });
    }

    @Test
    void everyFaultIsOneIncidentPerRuleOnEachOfItsOperationsWithExemplarsFromTheFault() {
        Map<String, String> operationOfSpan = new HashMap<>();
        traffic.stream()
                .filter(m -> m.operation() != null)
                .forEach(m -> operationOfSpan.putIfAbsent(m.spanId(), m.service() + "/" + m.operation()));
        List<FaultSpec> faults = DemoCommand.FAULTS.stream()
                .map(FaultSpec::parse)
                .filter(fault -> RULES.containsKey(fault.type()))
                .toList();
        assertThat(faults).hasSize(9);
        for (FaultSpec fault : faults) {
            Instant from = fault.from(START);
            Instant until = fault.until(START).plus(DETECTION_LAG);
            // the traces shaped by a fault of its kind (the CPU bursts on inventory are one incident), by operation
            Map<String, Set<String>> faultTraces = traffic.stream()
                    .filter(m -> m.hasFault(fault.type()) && m.service().equals(fault.service()))
                    .filter(m -> operationOfSpan.containsKey(m.spanId()))
                    .collect(Collectors.groupingBy(m -> operationOfSpan.get(m.spanId()),
                            Collectors.mapping(GeneratedMessage::traceId, Collectors.toSet())));
            assertThat(faultTraces).as("operations shaped by %s", fault).isNotEmpty();
            faultTraces.forEach((operation, traces) -> {
                List<JsonNode> found = triggered().stream()
                        .filter(a -> RULES.get(fault.type()).contains(a.get("alert_rule_id").asText()))
                        .filter(a -> operation.equals(a.get("service_name").asText() + "/"
                                + a.get("operation_name").asText()))
                        .filter(a -> overlaps(a, from, until))
                        .toList();
                assertThat(found).as("incidents of %s on %s", fault, operation).isNotEmpty();
                assertThat(found.stream().collect(Collectors.groupingBy(a -> a.get("alert_rule_id").asText())))
                        .as("one incident per rule of %s on %s", fault, operation)
                        .allSatisfy((rule, ofRule) -> assertThat(ofRule).hasSize(1));
                found.stream().filter(a -> !a.get("exemplars").isEmpty()).forEach(incident -> {
                    assertThat(incident.get("exemplars")).as("exemplars of %s", incident).hasSize(3);
                    incident.get("exemplars").forEach(exemplar -> {
                        assertThat(exemplar.get("trace_id").asText())
                                .as("an exemplar of %s on %s in %s; its trace's messages: %s", fault, operation,
                                        incident, traffic.stream()
                                                .filter(m -> m.traceId().equals(exemplar.get("trace_id").asText()))
                                                .map(m -> m.type() + " " + m.service() + "/" + m.operation() + " "
                                                        + m.kind() + " " + m.eventTime())
                                                .toList())
                                .isIn(traces);
                        assertThat(exemplar.get("trace_url").asText())
                                .isEqualTo("https://jaeger.example/trace/" + exemplar.get("trace_id").asText());
                    });
                });
            });
        }
    }

    private static List<JsonNode> triggered() {
        return alerts.stream().filter(a -> a.get("evaluation_result").asText().equals("triggered")).toList();
    }

    /** True when the incident was open at some time in [from, until). */
    private static boolean overlaps(JsonNode incident, Instant from, Instant until) {
        Instant started = Instant.parse(incident.get("started_at").asText());
        Instant ended = alerts.stream()
                .filter(a -> a.get("alert_id").equals(incident.get("alert_id")))
                .filter(a -> a.get("evaluation_result").asText().equals("resolved"))
                .map(a -> Instant.parse(a.get("evaluation_timestamp").asText()))
                .findFirst()
                .orElse(Instant.MAX);
        return started.isBefore(until) && ended.isAfter(from);
    }
}
