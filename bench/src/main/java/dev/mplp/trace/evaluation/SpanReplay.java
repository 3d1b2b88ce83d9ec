package dev.mplp.trace.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns labelled series into span traffic: per window and series, spans of the harness's service whose operation is
 * the series' name, each as a {@code trace.execution.start} and a {@code trace.execution.complete} message (without
 * limits of their own, so the configured defaults apply). A latency series has {@link #SPANS_PER_WINDOW} spans whose
 * durations centre on the window's value; a throughput series has the window's value in spans, of a steady
 * latency. One file, in event-time order, all series interleaved.
 */
public final class SpanReplay {

    public static final String SERVICE = "harness";
    /** Spans per window of a latency series: above the detector's minimum span count. */
    public static final int SPANS_PER_WINDOW = 12;
    private static final double STEADY_LATENCY_MS = 100;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Instant start;
    private final Duration window;
    private final long seed;
    private long spans;

    public SpanReplay(Instant start, Duration window, long seed) {
        this.start = start;
        this.window = window;
        this.seed = seed;
    }

    /** The first window's start (epoch aligned). */
    public Instant start() {
        return start;
    }

    public Duration window() {
        return window;
    }

    /** The index of the window that starts at {@code windowStart}. */
    public int windowOf(Instant windowStart) {
        return (int) (Duration.between(start, windowStart).toMillis() / window.toMillis());
    }

    /** Writes every series' spans to {@code file}; returns the number of messages. */
    public long write(List<LabelledSeries> series, Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        int windows = series.stream().mapToInt(LabelledSeries::windows).max().orElse(0);
        long windowMillis = window.toMillis();
        long messages = 0;
        List<Message> carried = new ArrayList<>();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int w = 0; w <= windows; w++) {
                long windowStart = start.toEpochMilli() + w * windowMillis;
                List<Message> due = new ArrayList<>();
                List<Message> later = new ArrayList<>();
                for (Message message : carried) {
                    (message.time < windowStart + windowMillis ? due : later).add(message);
                }
                for (LabelledSeries one : series) {
                    if (w < one.windows()) {
                        spansOf(one, w, windowStart, rng, due);
                    }
                }
                due.sort(Comparator.comparingLong(Message::time));
                for (Message message : due) {
                    if (message.time >= windowStart + windowMillis) {
                        later.add(message);
                        continue;
                    }
                    out.write(message.json);
                    out.newLine();
                    messages++;
                }
                carried = later;
            }
            carried.sort(Comparator.comparingLong(Message::time));
            for (Message message : carried) {
                out.write(message.json);
                out.newLine();
                messages++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return messages;
    }

    private void spansOf(LabelledSeries series, int w, long windowStart, SplittableRandom rng, List<Message> into) {
        double value = series.values()[w];
        boolean latency = series.metric() == LabelledSeries.Metric.LATENCY;
        int count = latency ? SPANS_PER_WINDOW : (int) Math.max(0, Math.round(value));
        double latencyMs = latency ? value : STEADY_LATENCY_MS;
        long windowMillis = window.toMillis();
        for (int k = 0; k < count; k++) {
            // spread over the window, each span starting and completing inside it
            long duration = Math.max(1, Math.round(latencyMs * (1 + 0.03 * rng.nextGaussian())));
            long room = Math.max(1, windowMillis - duration - 1);
            long startAt = windowStart + Math.min(room - 1, (long) ((k + rng.nextDouble()) * room / count));
            String traceId = hex(++spans, 16);
            String spanId = hex(spans, 8);
            into.add(new Message(startAt, startMessage(series.name(), traceId, spanId, startAt)));
            into.add(new Message(startAt + duration, completion(traceId, spanId, startAt + duration, duration)));
        }
    }

    private static String startMessage(String operation, String traceId, String spanId, long at) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("trace_id", traceId);
        body.put("span_id", spanId);
        body.putNull("parent_span_id");
        body.put("operation_name", operation);
        body.put("service_name", SERVICE);
        body.put("service_version", "1.0.0");
        body.put("start_time", iso(at));
        body.put("span_kind", "server");
        body.putObject("context").put("context_id", "ctx-" + traceId.substring(24));
        body.putObject("span_attributes").put("service.name", SERVICE);
        body.putObject("resource_attributes").put("host.name", SERVICE + "-pod-1");
        return envelope("trace.execution.start", "start-" + traceId, at, "trace_start", body);
    }

    private static String completion(String traceId, String spanId, long at, long durationMs) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("trace_id", traceId);
        body.put("span_id", spanId);
        body.put("completion_timestamp", iso(at));
        body.put("status", "completed");
        body.putObject("span_status").put("status_code", "ok");
        body.putObject("execution_result").put("success", true);
        body.putObject("final_metrics").put("total_duration_ms", durationMs);
        return envelope("trace.execution.complete", "complete-" + traceId, at, "trace_completion", body);
    }

    private static String envelope(String type, String messageId, long at, String payloadField, ObjectNode body) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("message_type", type);
        message.put("protocol_version", "1.0.0-alpha");
        message.put("message_id", messageId);
        message.put("timestamp", iso(at));
        message.put("correlation_id", "corr-" + messageId);
        ObjectNode sender = message.putObject("sender");
        sender.put("sender_id", SERVICE + "-1");
        sender.put("sender_type", "service_instance");
        ObjectNode authentication = sender.putObject("authentication");
        authentication.put("method", "jwt");
        authentication.put("token", "eyJhbGciOiJIUzI1NiJ9.harness");
        message.putObject("payload").set(payloadField, body);
        ObjectNode security = message.putObject("security");
        security.put("message_signature", "sha256:0");
        security.put("encryption", "aes-256-gcm");
        try {
            return MAPPER.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** {@code bytes} bytes of {@code value}, as lowercase hex, never all zeros (the protocol forbids that id). */
    private static String hex(long value, int bytes) {
        byte[] raw = new byte[bytes];
        for (int i = 0; i < 8 && i < bytes; i++) {
            raw[bytes - 1 - i] = (byte) (value >>> (8 * i));
        }
        raw[0] = (byte) 0x5a;
        return HexFormat.of().formatHex(raw);
    }

    private record Message(long time, String json) {}
}
