package dev.mplp.trace.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.jobs.RunSummary;
import dev.mplp.trace.jobs.StreamJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays labelled series as span traffic through the streaming job ({@link StreamJob}, the whole
 * {@code TracePipeline} on an embedded Flink) and scores its {@code performance_degradation} incidents per series.
 */
public final class HarnessRun {

    /** Where every series starts: a Monday, midnight UTC. */
    public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    /** The windows of the harness: 12 per hour, so that a burst every 12th window is an hourly one. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    /**
     * What the harness sets besides the settings under test: its window size, a span count the replay's windows
     * reach, and checkpoints rare enough not to cost much.
     */
    public static final Map<String, String> HARNESS_SETTINGS = Map.of(
            "detection.windows.size", "5m",
            "detection.baseline.min-span-count", "10",
            "execution.checkpointing.interval", "10s");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HarnessRun() {}

    /** The traffic of {@code series} in {@code file}; returns the replay, to map windows back. */
    public static SpanReplay writeTraffic(List<LabelledSeries> series, Path file, long seed) throws IOException {
        SpanReplay replay = new SpanReplay(START, WINDOW, seed);
        replay.write(series, file);
        return replay;
    }

    /**
     * Runs the job over {@code traffic} with the harness settings and {@code settings} on top, writing to {@code out}
     * (alerts in {@code out/alerts}), and scores every series.
     */
    public static List<SeriesScore> run(
            List<LabelledSeries> series, SpanReplay replay, Path traffic, Map<String, String> settings, Path out,
            PrintStream console) throws Exception {
        Map<String, String> overrides = new HashMap<>(HARNESS_SETTINGS);
        overrides.putAll(settings);
        StreamJob.Options options = StreamJob.Options.of(
                new Endpoint.File(traffic),
                new Endpoint.File(out.resolve("alerts")),
                new Endpoint.File(out.resolve("dlq")),
                null,
                false);
        RunSummary summary = StreamJob.run(options, ConfigLoader.load(null, overrides), console);
        if (!summary.balanced()) {
            throw new IllegalStateException("the run did not account for every message: " + summary);
        }
        if (!readLines(out.resolve("dlq")).isEmpty()) {
            throw new IllegalStateException("the replay's messages were dead-lettered: see " + out.resolve("dlq"));
        }
        return score(series, replay, readLines(out.resolve("alerts")));
    }

    /** Scores each series from the alert records (JSON lines) of a run over its replay. */
    public static List<SeriesScore> score(List<LabelledSeries> series, SpanReplay replay, List<JsonNode> alerts) {
        Map<String, List<Integer>> detections = new LinkedHashMap<>();
        Map<String, List<Integer>> newNormalWindows = new HashMap<>();
        for (JsonNode alert : alerts) {
            if (!alert.path("alert_type").asText().equals("performance_degradation")
                    || !alert.path("service_name").asText().equals(SpanReplay.SERVICE)) {
                continue;
            }
            String operation = alert.path("operation_name").asText();
            int window = replay.windowOf(Instant.parse(alert.path("window_start").asText()));
            if (alert.path("evaluation_result").asText().equals("triggered")) {
                detections.computeIfAbsent(operation, o -> new ArrayList<>()).add(window);
            } else if (alert.path("resolution").asText().equals("new_normal")) {
                newNormalWindows.computeIfAbsent(operation, o -> new ArrayList<>()).add(window);
            }
        }
        List<SeriesScore> scores = new ArrayList<>();
        for (LabelledSeries one : series) {
            List<Integer> windows = new ArrayList<>(detections.getOrDefault(one.name(), List.of()));
            windows.sort(null);
            // as for detections: not in the probation, nor after the series' end (its operation falling silent)
            int newNormals = (int) newNormalWindows.getOrDefault(one.name(), List.of()).stream()
                    .filter(w -> w >= one.probationWindows() && w < one.windows())
                    .count();
            scores.add(WindowScorer.score(one, windows, newNormals));
        }
        return scores;
    }

    /** The JSON lines of a file output's visible part files (in-progress ones are hidden dot-files). */
    static List<JsonNode> readLines(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    records.add(MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
