package dev.mplp.trace.generator;

import static dev.mplp.trace.generator.Runs.ONE_MINUTE_IN;
import static dev.mplp.trace.generator.Runs.START;
import static dev.mplp.trace.generator.Runs.TWO_MINUTES_IN;
import static dev.mplp.trace.generator.Runs.body;
import static dev.mplp.trace.generator.Runs.median;
import static dev.mplp.trace.generator.Runs.run;
import static dev.mplp.trace.generator.Runs.settings;
import static dev.mplp.trace.generator.Runs.share;
import static dev.mplp.trace.generator.Runs.spans;
import static dev.mplp.trace.generator.Runs.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.generator.Runs.Span;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each fault acts on its target, inside its window, and nowhere else. */
class TrafficFaultsTest {

    private static Predicate<Span> op(String service, String operation) {
        return s -> s.service.equals(service) && s.operation.equals(operation);
    }

    private static Predicate<Span> inWindow() {
        return s -> within(s.start, ONE_MINUTE_IN, TWO_MINUTES_IN);
    }

    @Test
    void aPauseStopsEverySpanStartingInsideItsWindowWhileMetricsGoOnAndTheOtherTracesStayTheSame() {
        List<GeneratedMessage> normal = run(settings());
        List<GeneratedMessage> paused = run(settings().fault("pause:*@+1m/1m"));
        Map<String, Span> normalSpans = spans(normal);
        Map<String, Span> pausedSpans = spans(paused);

        assertThat(pausedSpans.values()).filteredOn(inWindow()).isEmpty();
        assertThat(normalSpans.values()).filteredOn(inWindow()).isNotEmpty();
        assertThat(paused).filteredOn(m -> m.type() == MessageType.METRICS
                        && within(m.eventTime(), ONE_MINUTE_IN, TWO_MINUTES_IN))
                .as("metrics messages go on through the pause")
                .hasSameSizeAs(normal.stream().filter(m -> m.type() == MessageType.METRICS
                        && within(m.eventTime(), ONE_MINUTE_IN, TWO_MINUTES_IN)).toList())
                .isNotEmpty();
        // traces that start after the pause are the ones the run without it has
        Set<String> after = normalSpans.values().stream()
                .filter(s -> !s.start.isBefore(TWO_MINUTES_IN.plusSeconds(5)))
                .map(s -> s.spanId)
                .collect(Collectors.toSet());
        assertThat(pausedSpans.keySet()).containsAll(after);
    }

    @Test
    void aPauseOnOneOperationStopsItsSpansOnly() {
        Map<String, Span> normalSpans = spans(run(settings()));
        Map<String, Span> pausedSpans = spans(run(settings().fault("pause:checkout/charge@+1m/1m")));

        assertThat(pausedSpans.values()).filteredOn(op("checkout", "charge").and(inWindow())).isEmpty();
        assertThat(pausedSpans.values()).filteredOn(op("checkout", "charge").and(inWindow().negate())).isNotEmpty();
        assertThat(pausedSpans.values()).filteredOn(op("catalog", "search_products").and(inWindow())).isNotEmpty();
        assertThat(normalSpans.keySet()).as("a pause only leaves spans out").containsAll(pausedSpans.keySet());
    }

    @Test
    void aLatencyFaultSlowsItsOperationInsideItsWindowOnly() {
        List<GeneratedMessage> messages = run(settings().fault("latency:checkout/charge@+1m/1m:factor=5"));
        Map<String, Span> spans = spans(messages);

        double inside = median(Runs.durations(spans, op("checkout", "charge").and(inWindow())));
        double outside = median(Runs.durations(spans, op("checkout", "charge").and(inWindow().negate())));
        assertThat(inside / outside).isBetween(4.0, 6.0);

        for (String[] other : List.of(new String[] {"checkout", "place_order"}, new String[] {"catalog", "search_products"},
                new String[] {"inventory", "reserve_stock"})) {
            double otherInside = median(Runs.durations(spans, op(other[0], other[1]).and(inWindow())));
            double otherOutside = median(Runs.durations(spans, op(other[0], other[1]).and(inWindow().negate())));
            assertThat(otherInside / otherOutside).as(other[0] + "/" + other[1]).isBetween(0.8, 1.25);
        }
        assertThat(messages).filteredOn(m -> m.hasFault(FaultType.LATENCY))
                .isNotEmpty()
                .allSatisfy(m -> {
                    assertThat(m.operation()).isEqualTo("charge");
                    assertThat(m.kind()).isEqualTo("latency");
                });
    }

    @Test
    void aServiceWideLatencyFaultSlowsEveryOperationOfTheService() {
        Map<String, Span> spans = spans(run(settings().fault("latency:inventory@+1m/1m:factor=3")));

        for (String operation : List.of("reserve_stock", "release_stock")) {
            double inside = median(Runs.durations(spans, op("inventory", operation).and(inWindow())));
            double outside = median(Runs.durations(spans, op("inventory", operation).and(inWindow().negate())));
            assertThat(inside / outside).as(operation).isBetween(2.5, 3.6);
        }
    }

    @Test
    void anErrorsFaultMakesItsShareOfSpansFail() {
        List<GeneratedMessage> messages = run(settings().fault("errors:inventory@+1m/1m:fraction=0.6"));
        List<Span> spans = new ArrayList<>(spans(messages).values());
        Predicate<Span> inventory = s -> s.service.equals("inventory");
        Predicate<Span> failed = s -> !s.success;

        List<Span> faulted = spans.stream().filter(inventory.and(inWindow())).toList();
        assertThat(share(faulted, failed)).isCloseTo(0.6, offset(0.08));
        assertThat(share(spans.stream().filter(inventory.and(inWindow().negate())).toList(), failed))
                .isLessThan(0.03);
        assertThat(share(spans.stream().filter(inventory.negate().and(inWindow())).toList(), failed))
                .isLessThan(0.03);

        // failing spans say so: error status, failed operations, error logs
        for (Span span : faulted) {
            JsonNode completion = Runs.json(span.completeLine).at("/payload/trace_completion");
            assertThat(completion.at("/span_status/status_code").asText()).isEqualTo(span.success ? "ok" : "error");
            if (!span.success) {
                assertThat(completion.get("status").asText()).isEqualTo("failed");
                assertThat(completion.at("/performance_summary/failed_operations").asLong()).isPositive();
                span.updates.forEach(update -> assertThat(update.get("span_logs").findValuesAsText("log_level"))
                        .contains("error"));
            }
            span.updates.stream()
                    .filter(u -> Instant.parse(u.get("update_timestamp").asText()).isBefore(TWO_MINUTES_IN))
                    .forEach(update -> assertThat(
                            update.at("/performance_metrics/application_metrics/error_rate_percent").asDouble())
                            .isGreaterThan(40));
        }
        List<Double> metricsErrorRates = messages.stream()
                .filter(m -> m.type() == MessageType.METRICS && m.service().equals("inventory"))
                .filter(m -> within(m.eventTime(), ONE_MINUTE_IN, TWO_MINUTES_IN))
                .map(m -> body(m).at("/application_metrics/http/error_rate_percent").asDouble())
                .toList();
        assertThat(metricsErrorRates).isNotEmpty().allSatisfy(rate -> assertThat(rate).isGreaterThan(40));
    }

    @Test
    void anIncompleteFaultLeavesSpansOfItsServiceOpenInItsWindowOnly() {
        List<GeneratedMessage> messages = run(settings().fault("incomplete:notification@+1m/30s:fraction=0.5"));
        List<Span> spans = new ArrayList<>(spans(messages).values());
        List<Span> open = spans.stream().filter(s -> !s.completed).toList();

        assertThat(open).isNotEmpty().allSatisfy(span -> {
            assertThat(span.service).isEqualTo("notification");
            assertThat(span.start).isBetween(ONE_MINUTE_IN, ONE_MINUTE_IN.plusSeconds(30));
        });
        List<Span> targeted = spans.stream()
                .filter(s -> s.service.equals("notification"))
                .filter(s -> within(s.start, ONE_MINUTE_IN, ONE_MINUTE_IN.plusSeconds(30)))
                .toList();
        assertThat(open.size() / (double) targeted.size()).isCloseTo(0.5, offset(0.08));
        Set<String> openIds = open.stream().map(s -> s.spanId).collect(Collectors.toSet());
        assertThat(messages).filteredOn(m -> m.hasFault(FaultType.INCOMPLETE))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(openIds).contains(m.spanId()));
    }

    @Test
    void cpuAndMemoryFaultsReportValuesAboveTheTracesThresholds() {
        List<GeneratedMessage> messages = run(settings()
                .fault("cpu:catalog@+1m/1m")
                .fault("memory:notification@+1m/1m:mb=3000"));

        Map<String, JsonNode> thresholds = new HashMap<>();
        for (GeneratedMessage m : messages) {
            if (m.type() == MessageType.START) {
                thresholds.put(m.spanId(), body(m).at("/monitoring_configuration/alert_thresholds"));
            }
        }
        int breaches = 0;
        for (GeneratedMessage m : messages) {
            boolean inside = within(m.eventTime(), ONE_MINUTE_IN, TWO_MINUTES_IN);
            JsonNode body = body(m);
            if (m.type() == MessageType.UPDATE) {
                double cpu = body.at("/performance_metrics/system_metrics/cpu_usage_percent").asDouble();
                double memory = body.at("/performance_metrics/system_metrics/memory_usage_mb").asDouble();
                JsonNode limits = thresholds.get(m.spanId());
                boolean cpuFault = inside && m.service().equals("catalog");
                boolean memoryFault = inside && m.service().equals("notification");
                assertThat(cpu > limits.get("cpu_usage_percent").asDouble()).isEqualTo(cpuFault);
                assertThat(memory > limits.get("memory_usage_mb").asDouble()).isEqualTo(memoryFault);
                assertThat(m.hasFault(FaultType.CPU)).isEqualTo(cpuFault);
                assertThat(m.hasFault(FaultType.MEMORY)).isEqualTo(memoryFault);
                if (memoryFault) {
                    assertThat(memory).isBetween(3000.0, 3400.0);
                }
                breaches += cpuFault || memoryFault ? 1 : 0;
            }
            if (m.type() == MessageType.METRICS) {
                double cpu = body.at("/system_metrics/cpu/usage_percent").asDouble();
                assertThat(cpu > 80).isEqualTo(inside && m.service().equals("catalog"));
                double usedMb = body.at("/system_metrics/memory/used_bytes").asDouble() / 1_048_576;
                assertThat(usedMb >= 3000).isEqualTo(inside && m.service().equals("notification"));
            }
            if (m.type() == MessageType.COMPLETE && inside && m.service().equals("catalog")) {
                assertThat(body.at("/final_metrics/peak_cpu_usage_percent").asDouble()).isGreaterThan(80);
            }
        }
        assertThat(breaches).isGreaterThan(100);
    }

    @Test
    void duplicatesAreIdenticalLinesDeliveredTwice() {
        List<GeneratedMessage> messages = run(settings().duration(Duration.ofMinutes(1))
                .fault("duplicate:*:fraction=0.1"));
        List<GeneratedMessage> copies = messages.stream().filter(m -> m.hasFault(FaultType.DUPLICATE)).toList();
        Map<String, Long> timesSeen = messages.stream()
                .collect(Collectors.groupingBy(GeneratedMessage::json, Collectors.counting()));

        assertThat(copies.size() / (double) (messages.size() - copies.size())).isCloseTo(0.1, offset(0.01));
        assertThat(copies).allSatisfy(copy -> {
            assertThat(timesSeen.get(copy.json())).isEqualTo(2);
            assertThat(copy.expectedReason()).isEqualTo(DeadLetterReason.DUPLICATE);
            assertThat(copy.deliveryTime()).isEqualTo(copy.eventTime());
        });
        assertThat(timesSeen.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        // delivered right after the original: event time still never decreases
        for (int i = 1; i < messages.size(); i++) {
            assertThat(messages.get(i).eventTime()).isAfterOrEqualTo(messages.get(i - 1).eventTime());
        }
        assertThat(copies.stream().map(m -> json(m).get("message_id").asText()).distinct().count())
                .isEqualTo(copies.size());
    }

    private static JsonNode json(GeneratedMessage m) {
        return Runs.json(m.json());
    }

    @Test
    void aDuplicateWithADelayArrivesThatMuchLater() {
        List<GeneratedMessage> messages = run(settings().duration(Duration.ofSeconds(30))
                .fault("duplicate:checkout:fraction=0.2,delay=3s"));

        List<GeneratedMessage> copies = messages.stream().filter(m -> m.hasFault(FaultType.DUPLICATE)).toList();
        assertThat(copies).isNotEmpty().allSatisfy(copy -> {
            assertThat(copy.service()).isEqualTo("checkout");
            assertThat(Duration.between(copy.eventTime(), copy.deliveryTime())).isEqualTo(Duration.ofSeconds(3));
        });
        assertDeliveryOrder(messages);
    }

    @Test
    void outOfOrderDeliveryMakesEventTimeGoBackwardsWithinTheMaxDelay() {
        List<GeneratedMessage> messages = run(settings().duration(Duration.ofMinutes(2))
                .fault("out_of_order:*@+30s/1m:fraction=0.3,max_delay=20s"));

        int backwards = 0;
        for (int i = 1; i < messages.size(); i++) {
            backwards += messages.get(i).eventTime().isBefore(messages.get(i - 1).eventTime()) ? 1 : 0;
        }
        assertThat(backwards).isGreaterThan(100);
        assertDeliveryOrder(messages);
        Instant from = START.plusSeconds(30);
        Instant until = from.plusSeconds(60);
        List<GeneratedMessage> late = messages.stream().filter(m -> m.hasFault(FaultType.OUT_OF_ORDER)).toList();
        assertThat(late).allSatisfy(m -> {
            assertThat(m.eventTime()).isBetween(from, until.minusMillis(1));
            assertThat(Duration.between(m.eventTime(), m.deliveryTime()))
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(20));
            assertThat(m.isValid()).isTrue();
        });
        long inWindow = messages.stream().filter(m -> within(m.eventTime(), from, until)).count();
        assertThat(late.size() / (double) inWindow).isCloseTo(0.3, offset(0.03));
        assertThat(messages).filteredOn(m -> !m.hasFault(FaultType.OUT_OF_ORDER))
                .allSatisfy(m -> assertThat(m.deliveryTime()).isEqualTo(m.eventTime()));
    }

    private static void assertDeliveryOrder(List<GeneratedMessage> messages) {
        for (int i = 1; i < messages.size(); i++) {
            assertThat(messages.get(i).deliveryTime()).isAfterOrEqualTo(messages.get(i - 1).deliveryTime());
        }
    }

    @Test
    void aMalformedFaultReplacesItsShareOfMessagesWithCatalogueRecords() {
        List<GeneratedMessage> messages = run(settings().duration(Duration.ofMinutes(1))
                .fault("malformed:*:fraction=0.1"));
        List<GeneratedMessage> broken = messages.stream().filter(m -> m.hasFault(FaultType.MALFORMED)).toList();

        assertThat(broken.size() / (double) messages.size()).isCloseTo(0.1, offset(0.01));
        assertThat(broken).allSatisfy(m -> {
            MalformedMessages.Malformation malformation = MalformedMessages.byName(m.malformation()).orElseThrow();
            assertThat(m.expectedReason()).isEqualTo(malformation.expectedReason()).isNotNull();
            assertThat(malformation.appliesTo()).contains(m.type());
            assertThat(m.isValid()).isFalse();
            assertThat(m.json()).isNotBlank().doesNotContain("\n");
        });
        Set<DeadLetterReason> reasons = broken.stream().map(GeneratedMessage::expectedReason)
                .collect(Collectors.toSet());
        // the security reasons need security modes and keys, which generated faults do not involve; malformed_otlp
        // belongs to OTLP sources
        assertThat(reasons).doesNotContain(DeadLetterReason.OVERSIZE, DeadLetterReason.DUPLICATE,
                        DeadLetterReason.INTEGRITY_FAILED, DeadLetterReason.AUTH_FAILED, DeadLetterReason.MALFORMED_OTLP,
                        DeadLetterReason.INTERNAL_ERROR)
                .hasSize(DeadLetterReason.values().length - 6); // and internal_error, which no record is built to cause
        assertThat(messages).filteredOn(m -> !m.hasFault(FaultType.MALFORMED))
                .allSatisfy(m -> assertThat(m.isValid()).isTrue());
    }

    @Test
    void aMalformedFaultCanBeNarrowedToOneReasonOrVariantAndSized() {
        List<GeneratedMessage> missing = run(settings().duration(Duration.ofSeconds(30))
                .fault("malformed:inventory:fraction=0.5,reason=missing_field"));
        assertThat(missing).filteredOn(m -> m.hasFault(FaultType.MALFORMED)).isNotEmpty().allSatisfy(m -> {
            assertThat(m.expectedReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
            assertThat(m.service()).isEqualTo("inventory");
        });

        List<GeneratedMessage> oversize = run(settings().duration(Duration.ofSeconds(10))
                .fault("malformed:*:fraction=0.05,variant=oversize_by_one_byte,max_bytes=10000"));
        assertThat(oversize).filteredOn(m -> m.hasFault(FaultType.MALFORMED)).isNotEmpty().allSatisfy(m -> {
            assertThat(m.malformation()).isEqualTo("oversize_by_one_byte");
            assertThat(m.sizeBytes()).isEqualTo(10_001);
        });
    }

    @Test
    void faultsCombineAndTheKindNamesThemAll() {
        List<GeneratedMessage> messages = run(settings().duration(Duration.ofMinutes(1))
                .fault("latency:checkout@+10s/20s:factor=2")
                .fault("duplicate:checkout@+10s/20s:fraction=0.5")
                .fault("malformed:checkout@+10s/20s:fraction=0.2"));

        assertThat(messages).extracting(GeneratedMessage::kind)
                .contains("normal", "latency", "latency+duplicate", "latency+malformed+duplicate");
        assertThat(messages).filteredOn(m -> m.hasFault(FaultType.MALFORMED) && m.hasFault(FaultType.DUPLICATE))
                .allSatisfy(m -> assertThat(m.expectedReason()).isNotEqualTo(DeadLetterReason.DUPLICATE));
    }

    @Test
    void faultsOutsideTheirWindowChangeNothing() {
        GeneratorSettings plain = settings().duration(Duration.ofMinutes(1)).build();
        GeneratorSettings faulted = plain.toBuilder()
                .fault("errors:checkout@+50s/5s")
                .fault("out_of_order:*@+50s/5s")
                .fault("malformed:*@+50s/5s")
                .build();

        List<String> before = run(plain).stream()
                .filter(m -> m.eventTime().isBefore(START.plusSeconds(50)))
                .map(GeneratedMessage::json)
                .toList();
        List<String> faultedBefore = run(faulted).stream()
                .filter(m -> m.eventTime().isBefore(START.plusSeconds(50)))
                .map(GeneratedMessage::json)
                .toList();
        assertThat(faultedBefore).isEqualTo(before);
        assertThat(MessageType.values()).hasSize(4);
    }
}
