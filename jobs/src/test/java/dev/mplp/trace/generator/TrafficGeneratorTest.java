package dev.mplp.trace.generator;

import static dev.mplp.trace.generator.Runs.START;
import static dev.mplp.trace.generator.Runs.body;
import static dev.mplp.trace.generator.Runs.json;
import static dev.mplp.trace.generator.Runs.run;
import static dev.mplp.trace.generator.Runs.settings;
import static dev.mplp.trace.generator.Runs.spans;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.generator.Runs.Span;
import dev.mplp.trace.records.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator without faults: determinism, order, the shape of every message, the memory bound. */
class TrafficGeneratorTest {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Map<MessageType, List<String>> REQUIRED = Map.of(
            MessageType.START, List.of("trace_id", "span_id", "operation_name", "service_name", "start_time"),
            MessageType.UPDATE, List.of("trace_id", "span_id", "update_timestamp", "status"),
            MessageType.COMPLETE, List.of("trace_id", "span_id", "completion_timestamp", "status"),
            MessageType.METRICS, List.of("trace_id", "span_id", "collection_timestamp"));
    private static final Map<MessageType, String> TIME_FIELD = Map.of(
            MessageType.START, "start_time",
            MessageType.UPDATE, "update_timestamp",
            MessageType.COMPLETE, "completion_timestamp",
            MessageType.METRICS, "collection_timestamp");

    private static final List<GeneratedMessage> NORMAL = run(settings());

    @Test
    void theSameSeedGivesTheSameBytes() {
        List<String> again = new TrafficGenerator(settings().build()).lines().toList();

        assertThat(again).isEqualTo(NORMAL.stream().map(GeneratedMessage::json).toList());
        assertThat(NORMAL).hasSizeGreaterThan(10_000);
    }

    @Test
    void aDifferentSeedGivesDifferentTraffic() {
        List<String> other = new TrafficGenerator(settings().seed(8).build()).lines().limit(200).toList();

        assertThat(other).doesNotContainAnyElementsOf(NORMAL.stream().limit(200).map(GeneratedMessage::json).toList());
    }

    @Test
    void eachIteratorIsAFreshRun() {
        TrafficGenerator generator = new TrafficGenerator(settings().duration(Duration.ofSeconds(20)).build());

        assertThat(generator.lines().toList()).isEqualTo(generator.lines().toList());
    }

    @Test
    void eventTimesNeverDecreaseWithoutLateDelivery() {
        Instant previous = Instant.MIN;
        for (GeneratedMessage m : NORMAL) {
            assertThat(m.eventTime()).isAfterOrEqualTo(previous);
            assertThat(m.deliveryTime()).isEqualTo(m.eventTime());
            previous = m.eventTime();
        }
        assertThat(NORMAL.get(0).eventTime()).isEqualTo(START);
        for (int i = 0; i < NORMAL.size(); i++) {
            assertThat(NORMAL.get(i).sequence()).isEqualTo(i);
        }
    }

    @Test
    void everyLineIsAValidProtocolMessageOfTheFourTypes() {
        Set<String> messageIds = new HashSet<>();
        Map<MessageType, Integer> counts = new EnumMap<>(MessageType.class);
        for (GeneratedMessage m : NORMAL) {
            assertThat(m.json()).doesNotContain("\n").doesNotContain("\r");
            JsonNode message = json(m.json());
            MessageType type = MessageType.fromWireName(message.get("message_type").asText()).orElseThrow();
            assertThat(type).isEqualTo(m.type());
            counts.merge(type, 1, Integer::sum);
            assertThat(m.kind()).isEqualTo("normal");
            assertThat(m.isValid()).isTrue();

            assertThat(message.get("protocol_version").asText()).isEqualTo("1.0.0-alpha");
            assertThat(messageIds.add(message.get("message_id").asText())).as("unique message_id").isTrue();
            assertThat(message.get("timestamp").asText()).matches(TIME);
            assertThat(Instant.parse(message.get("timestamp").asText())).isEqualTo(m.eventTime());
            assertThat(message.at("/sender/sender_id").asText()).isNotBlank();
            assertThat(message.at("/sender/sender_type").asText()).isNotBlank();

            JsonNode body = message.path("payload").path(type.payloadField());
            assertThat(message.get("payload").size()).isEqualTo(1);
            for (String field : REQUIRED.get(type)) {
                assertThat(body.get(field)).as(type + " " + field).isNotNull();
                assertThat(body.get(field).isTextual()).as(type + " " + field).isTrue();
            }
            assertThat(body.get(TIME_FIELD.get(type)).asText()).isEqualTo(message.get("timestamp").asText());
            assertThat(body.get("trace_id").asText()).matches(TRACE_ID).isNotEqualTo("0".repeat(32))
                    .isEqualTo(m.traceId());
            assertThat(body.get("span_id").asText()).matches(SPAN_ID).isNotEqualTo("0".repeat(16))
                    .isEqualTo(m.spanId());
            switch (type) {
                case START -> {
                    assertThat(message.at("/sender/authentication/method").asText()).isEqualTo("jwt");
                    assertThat(body.get("service_name").asText()).isEqualTo(m.service());
                    assertThat(body.get("operation_name").asText()).isEqualTo(m.operation());
                    JsonNode parent = body.get("parent_span_id");
                    assertThat(parent.isNull() || SPAN_ID.matcher(parent.asText()).matches()).isTrue();
                    JsonNode thresholds = body.at("/monitoring_configuration/alert_thresholds");
                    for (String f : List.of("duration_ms", "cpu_usage_percent", "memory_usage_mb",
                            "error_rate_percent")) {
                        assertThat(thresholds.get(f).isNumber()).as(f).isTrue();
                    }
                    JsonNode targets = body.at("/monitoring_configuration/performance_targets");
                    for (String f : List.of("max_latency_p95_ms", "min_throughput_ops_per_sec",
                            "max_error_rate_percent")) {
                        assertThat(targets.get(f).isNumber()).as(f).isTrue();
                    }
                    assertThat(body.get("span_attributes").size()).isGreaterThan(10);
                    assertThat(body.get("resource_attributes").size()).isGreaterThan(10);
                }
                case UPDATE -> {
                    assertThat(body.at("/performance_metrics/duration_ms").isNumber()).isTrue();
                    assertThat(body.at("/performance_metrics/system_metrics/cpu_usage_percent").asDouble())
                            .isBetween(0.0, 100.0);
                    assertThat(body.at("/performance_metrics/application_metrics/error_rate_percent").asDouble())
                            .isBetween(0.0, 100.0);
                    assertThat(body.at("/progress_percentage").asDouble()).isBetween(0.0, 100.0);
                    assertThat(body.get("span_logs")).isNotEmpty();
                    body.get("span_logs").forEach(log ->
                            assertThat(log.get("log_level").asText()).isIn("info", "warn", "error"));
                }
                case COMPLETE -> {
                    assertThat(body.at("/span_status/status_code").asText()).isIn("ok", "error");
                    assertThat(body.at("/execution_result/success").isBoolean()).isTrue();
                    assertThat(body.at("/final_metrics/total_duration_ms").asDouble()).isPositive();
                    assertThat(body.at("/performance_summary/failed_operations").asLong())
                            .isBetween(0L, body.at("/performance_summary/total_operations").asLong());
                }
                case METRICS -> {
                    assertThat(m.operation()).isNull();
                    assertThat(body.at("/system_metrics/cpu/usage_percent").asDouble()).isBetween(0.0, 100.0);
                    assertThat(body.at("/application_metrics/http/response_time_p95_ms").isNumber()).isTrue();
                    assertThat(body.at("/application_metrics/http/requests_per_sec").isNumber()).isTrue();
                    assertThat(body.at("/application_metrics/http/error_rate_percent").asDouble())
                            .isBetween(0.0, 100.0);
                }
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(MessageType.values());
    }

    @Test
    void messagesAreAboutAsLargeAsTheSamples() {
        Map<MessageType, Double> average = NORMAL.stream().collect(Collectors.groupingBy(
                GeneratedMessage::type, Collectors.averagingInt(GeneratedMessage::sizeBytes)));

        assertThat(average.values()).allSatisfy(bytes -> assertThat(bytes).isBetween(2_000.0, 5_000.0));
        assertThat(NORMAL).allSatisfy(m -> assertThat(m.sizeBytes()).isBetween(1_500, 8_000));
    }

    @Test
    void everySpanStartsOnceAndCompletesAfterItsStart() {
        Map<String, Span> spans = spans(NORMAL);

        assertThat(spans.values()).allSatisfy(span -> {
            assertThat(span.start).as("started").isNotNull();
            assertThat(span.completed).as("completed").isTrue();
        });
        Map<String, Instant> completions = new HashMap<>();
        for (GeneratedMessage m : NORMAL) {
            if (m.type() == MessageType.COMPLETE) {
                assertThat(completions.put(m.spanId(), m.eventTime())).as("one completion").isNull();
                Span span = spans.get(m.spanId());
                assertThat(m.eventTime()).isEqualTo(span.start.plusMillis(Math.round(span.durationMs)));
            }
        }
        assertThat(spans.values()).allSatisfy(span -> assertThat(span.updates.size())
                .isEqualTo((int) ((span.durationMs - 1) / 500)));
    }

    @Test
    void tracesAreARootWithUpToThreeChildrenThatStartAfterIt() {
        Map<String, Span> spans = spans(NORMAL);
        Map<String, List<Span>> byTrace = spans.values().stream().collect(Collectors.groupingBy(s -> s.traceId));

        Map<Integer, Long> sizes = byTrace.values().stream()
                .collect(Collectors.groupingBy(List::size, Collectors.counting()));
        assertThat(sizes.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4);
        for (List<Span> trace : byTrace.values()) {
            List<Span> roots = trace.stream().filter(s -> s.parentSpanId == null).toList();
            assertThat(roots).hasSize(1);
            Span root = roots.get(0);
            trace.stream().filter(s -> s != root).forEach(child -> {
                assertThat(child.parentSpanId).isEqualTo(root.spanId);
                assertThat(child.start).isAfter(root.start);
            });
        }
        double traces = byTrace.size();
        assertThat(traces / 180).as("traces per second").isCloseTo(25, org.assertj.core.data.Offset.offset(2.0));
    }

    @Test
    void latenciesAreLogNormalAroundEachOperationsMedian() {
        Map<String, Span> spans = spans(NORMAL);
        for (ServiceSpec service : ServiceSpec.defaults()) {
            for (OperationSpec op : service.operations()) {
                List<Double> durations = Runs.durations(spans,
                        s -> s.service.equals(service.name()) && s.operation.equals(op.name()));
                assertThat(durations).hasSizeGreaterThan(200);
                assertThat(Runs.median(durations)).as(service.name() + "/" + op.name())
                        .isBetween(op.medianLatencyMs() * 0.85, op.medianLatencyMs() * 1.15);
                double logSd = standardDeviation(durations.stream().map(Math::log).toList());
                assertThat(logSd).isBetween(op.sigma() * 0.8, op.sigma() * 1.2);
            }
        }
    }

    private static double standardDeviation(List<Double> values) {
        double mean = values.stream().mapToDouble(d -> d).average().orElseThrow();
        return Math.sqrt(values.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (values.size() - 1));
    }

    @Test
    void eachServiceReportsMetricsPeriodicallyAboutOneOfItsOpenSpans() {
        Map<String, Span> spans = spans(NORMAL);
        Map<String, List<GeneratedMessage>> metrics = NORMAL.stream()
                .filter(m -> m.type() == MessageType.METRICS)
                .collect(Collectors.groupingBy(GeneratedMessage::service));

        assertThat(metrics.keySet()).containsExactlyInAnyOrder("checkout", "inventory", "catalog", "notification");
        for (List<GeneratedMessage> collected : metrics.values()) {
            assertThat(collected).hasSizeBetween(35, 36);
            for (int i = 1; i < collected.size(); i++) {
                assertThat(Duration.between(collected.get(i - 1).eventTime(), collected.get(i).eventTime()))
                        .isEqualTo(Duration.ofSeconds(5));
            }
            int open = 0;
            for (GeneratedMessage m : collected) {
                Span span = spans.get(m.spanId());
                assertThat(span.service).isEqualTo(m.service());
                assertThat(span.traceId).isEqualTo(m.traceId());
                assertThat(span.start).isBeforeOrEqualTo(m.eventTime());
                if (!span.start.plusMillis(Math.round(span.durationMs)).isBefore(m.eventTime())) {
                    open++;
                } else {
                    // none of the service's spans was open: the latest one it started
                    assertThat(spans.values()).noneMatch(s -> s.service.equals(m.service())
                            && s.start.isAfter(span.start) && s.start.isBefore(m.eventTime()));
                }
            }
            assertThat(open).isGreaterThan(collected.size() / 2);
        }
    }

    @Test
    void childLatencyIsIndependentOfTheParents() {
        // a fault on one operation leaves the start messages and the other spans' completions byte for byte
        GeneratorSettings faulted = settings().fault("latency:checkout/charge@+1m/1m:factor=5").build();
        Map<String, Span> normal = spans(NORMAL);
        Map<String, Span> slow = spans(run(faulted));

        assertThat(slow.keySet()).isEqualTo(normal.keySet());
        for (Span span : normal.values()) {
            Span other = slow.get(span.spanId);
            assertThat(other.startLine).isEqualTo(span.startLine);
            boolean faultedSpan = span.service.equals("checkout") && span.operation.equals("charge")
                    && Runs.within(span.start, Runs.ONE_MINUTE_IN, Runs.TWO_MINUTES_IN);
            if (!faultedSpan) {
                assertThat(other.completeLine).isEqualTo(span.completeLine);
            }
        }
    }

    @Test
    void generationIsLazyAndHoldsOnlyOpenSpans() {
        GeneratorSettings endless = settings().duration(Duration.ofDays(10_000)).rate(200).build();
        Simulation run = new Simulation(endless);
        int mostHeld = 0;
        int mostOpen = 0;
        for (int i = 0; i < 200_000; i++) {
            run.next();
            mostHeld = Math.max(mostHeld, run.held());
            mostOpen = Math.max(mostOpen, run.openSpans());
        }
        // ~460 spans/s of about 0.5 s each: a few hundred open at once, whatever the duration
        assertThat(mostOpen).isBetween(50, 1_500);
        assertThat(mostHeld).isLessThan(3_000);
    }

    @Test
    void servicesAndOperationsComeFromTheSettings() {
        GeneratorSettings settings = settings()
                .services(List.of(ServiceSpec.of("alpha", OperationSpec.of("one", 100)),
                        ServiceSpec.of("beta", OperationSpec.of("two", 50), OperationSpec.of("three", 300))))
                .duration(Duration.ofSeconds(30))
                .build();
        Set<String> seen = new HashSet<>();
        for (Iterator<GeneratedMessage> it = new TrafficGenerator(settings).iterator(); it.hasNext(); ) {
            GeneratedMessage m = it.next();
            if (m.type() == MessageType.START) {
                seen.add(body(m).get("service_name").asText() + "/" + body(m).get("operation_name").asText());
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("alpha/one", "beta/two", "beta/three");
    }

    @Test
    void theGeneratorKeepsItsSettings() {
        GeneratorSettings settings = settings().build();

        assertThat(new TrafficGenerator(settings).settings()).isSameAs(settings);
        assertThat(new ArrayList<>(List.of(new TrafficGenerator(settings))).get(0).iterator().next().sequence())
                .isZero();
    }
}
