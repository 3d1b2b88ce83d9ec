package dev.mplp.trace.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.records.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Small builders and readers for the generator's tests. */
final class Runs {

    static final Instant START = Instant.parse("2025-09-03T10:00:00Z");
    static final Instant ONE_MINUTE_IN = START.plus(Duration.ofMinutes(1));
    static final Instant TWO_MINUTES_IN = START.plus(Duration.ofMinutes(2));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Runs() {}

    /** Three minutes of 25 traces per second, seed 7, no faults. */
    static GeneratorSettings.Builder settings() {
        return GeneratorSettings.builder().seed(7).start(START).duration(Duration.ofMinutes(3)).rate(25);
    }

    static List<GeneratedMessage> run(GeneratorSettings settings) {
        return new TrafficGenerator(settings).stream().toList();
    }

    static List<GeneratedMessage> run(GeneratorSettings.Builder settings) {
        return run(settings.build());
    }

    static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    static JsonNode body(GeneratedMessage message) {
        return json(message.json()).path("payload").path(message.type().payloadField());
    }

    /** One span as its messages tell it. */
    static final class Span {
        String traceId;
        String spanId;
        String parentSpanId;
        String service;
        String operation;
        Instant start;
        boolean completed;
        Double durationMs;
        Boolean success;
        String startLine;
        String completeLine;
        final List<JsonNode> updates = new ArrayList<>();
    }

    /** The spans of a run, by span id, from its valid messages. */
    static Map<String, Span> spans(List<GeneratedMessage> messages) {
        Map<String, Span> spans = new LinkedHashMap<>();
        for (GeneratedMessage m : messages) {
            if (!m.isValid() || m.type() == MessageType.METRICS) {
                continue;
            }
            JsonNode body = body(m);
            Span span = spans.computeIfAbsent(m.spanId(), id -> new Span());
            switch (m.type()) {
                case START -> {
                    span.traceId = body.get("trace_id").asText();
                    span.spanId = body.get("span_id").asText();
                    span.parentSpanId = body.get("parent_span_id").isNull() ? null : body.get("parent_span_id").asText();
                    span.service = body.get("service_name").asText();
                    span.operation = body.get("operation_name").asText();
                    span.start = Instant.parse(body.get("start_time").asText());
                    span.startLine = m.json();
                }
                case UPDATE -> span.updates.add(body);
                case COMPLETE -> {
                    span.completed = true;
                    span.durationMs = body.at("/final_metrics/total_duration_ms").asDouble();
                    span.success = body.at("/execution_result/success").asBoolean();
                    span.completeLine = m.json();
                }
                default -> {}
            }
        }
        return spans;
    }

    static List<Double> durations(Map<String, Span> spans, Predicate<Span> which) {
        return spans.values().stream()
                .filter(s -> s.completed && s.start != null)
                .filter(which)
                .map(s -> s.durationMs)
                .toList();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new AssertionError("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static boolean within(Instant t, Instant from, Instant until) {
        return !t.isBefore(from) && t.isBefore(until);
    }

    static double share(List<Span> spans, Predicate<Span> which) {
        return spans.isEmpty() ? Double.NaN : spans.stream().filter(which).count() / (double) spans.size();
    }
}
