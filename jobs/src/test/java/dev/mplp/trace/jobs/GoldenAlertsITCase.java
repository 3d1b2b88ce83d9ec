package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.jobs.cli.DemoCommand;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden guard of the detection refactoring (issue 16): the whole streaming job over seeded, generated traffic
 * must write the alerts recorded before the refactoring, every field of every record (alert ids included), as a
 * multiset. A difference is allowed only when {@link #EXPECTED_CHANGES} names it with its reason.
 *
 * <p>The inputs: the demo's traffic (its faults, seed, duration, rate and settings), and the generated inputs of
 * {@link DetectionITCase}. To record the files again (only when a change of alerts is intended and named):
 * {@code -Dgolden.record=true}; they are written to {@code src/test/resources/golden-alerts}.
 */
class GoldenAlertsITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> DETECTION_SETTINGS = Map.of("execution.checkpointing.interval", "1s");
    private static final Path RECORDED = Path.of("src/test/resources/golden-alerts");

    /** A difference from the recorded alerts the refactoring intends, and which records it explains. */
    record ExpectedChange(String golden, String reason, Predicate<JsonNode> explains) {}

    /**
     * The one change since the last recording: incidents that a quiet sustained breach held open end (see the
     * entries). Last recorded again when issues 18 and 22 met on
     * main: per-span breaches are evidence and incidents are per (service, operation, rule) (issue 18's recording);
     * issue 22's recurring excursion (the 90th-percentile tail no longer widens the recent level's spread) gives the
     * demo's checkout/charge incident the tighter threshold 1758.15 (was 2158.06) and, with inventory/release_stock's
     * and detection-seed-17's svc-3/op-2 incident, a larger z-score in its message; and detection-seed-17's
     * svc-5/op-3 error-rate-target incident, whose share sits at the 5 % floor, resolves at 10:58 (9 of 200 spans,
     * 4.5 %, as the per-span records of the earlier recordings count them) instead of 11:25: the alert lifecycle
     * now applies records once the watermark passes their evaluation time; before, a window's incident, sent ahead
     * of the watermark that carried it, met the lifecycle's recovery and flapping timers before or after them as the
     * subtasks' watermarks interleaved, and the 11:25 of the earlier recording was one such run (runs with 100 ms
     * and 1 s checkpoints now agree). Same incidents, ids and severities otherwise.
     */
    private static final List<ExpectedChange> EXPECTED_CHANGES = Stream.of("demo", "detection-seed-8", "detection-seed-17")
            .map(golden -> new ExpectedChange(golden, "an operation's latency-target incident held open by its "
                    + "sustained_breach was still open when the input ended, and stayed open for good: a sustained "
                    + "breach whose subject is no longer evaluated now ends after detection.baseline.idle-timeout "
                    + "(1h) of event time, so the incident ends, as idle_expired, one window after that",
                    GoldenAlertsITCase::endsAnIncidentHeldByAQuietSustainedBreach))
            .toList();

    private static boolean endsAnIncidentHeldByAQuietSustainedBreach(JsonNode alert) {
        return alert.path("alert_type").asText().equals("threshold_breach")
                && alert.path("span_id").isNull()
                && alert.path("evaluation_result").asText().equals("resolved")
                && alert.path("resolution").asText().equals("idle_expired")
                && alert.path("alert_message").asText().startsWith("no evaluation of latency_p95_ms of ");
    }

    record Golden(String name, GeneratorSettings traffic, Map<String, String> settings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> goldens() {
        GeneratorSettings.Builder demo = GeneratorSettings.builder()
                .seed(42)
                .duration(Duration.ofMinutes(12))
                .rate(6);
        DemoCommand.FAULTS.forEach(demo::fault);
        return Stream.of(
                new Golden("demo", demo.build(), DemoCommand.DEMO_SETTINGS),
                new Golden("detection-seed-5", DetectionITCase.twoSlowOperations(), DETECTION_SETTINGS),
                new Golden("detection-seed-8", DetectionITCase.breachesOutOfOrderAndDuplicates(), DETECTION_SETTINGS),
                new Golden("detection-seed-17", DetectionITCase.oneDegradationInTwoHours(), DETECTION_SETTINGS));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void theJobWritesTheRecordedAlertsOrOnlyTheNamedChanges(Golden golden) throws Exception {
        Path input = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(golden.traffic()), input, 0);
        List<String> alerts = run(input, ConfigLoader.load(null, golden.settings()));

        Path recorded = RECORDED.resolve(golden.name() + ".jsonl.gz");
        boolean record = Boolean.getBoolean("golden.record");
        if (record) {
            write(recorded, alerts);
        }
        List<String> expected = record ? alerts : read(golden.name() + ".jsonl.gz");
        assertThat(expected).as("the recorded alerts of %s", golden).isNotEmpty();

        Map<String, Integer> missing = counts(expected);
        Map<String, Integer> extra = new HashMap<>();
        for (String alert : alerts) {
            if (missing.merge(alert, -1, Integer::sum) == 0) {
                missing.remove(alert);
            } else if (missing.get(alert) < 0) {
                missing.remove(alert);
                extra.merge(alert, 1, Integer::sum);
            }
        }
        List<ExpectedChange> changes = EXPECTED_CHANGES.stream()
                .filter(change -> change.golden().equals(golden.name()))
                .toList();
        List<String> unexplained = new ArrayList<>();
        List<ExpectedChange> used = new ArrayList<>();
        Stream.concat(missing.keySet().stream().map(a -> "recorded, not written: " + a),
                        extra.keySet().stream().map(a -> "written, not recorded: " + a))
                .forEach(difference -> {
                    JsonNode alert = json(difference.substring(difference.indexOf('{')));
                    List<ExpectedChange> explaining = changes.stream()
                            .filter(change -> change.explains().test(alert))
                            .toList();
                    if (explaining.isEmpty()) {
                        unexplained.add(difference);
                    }
                    used.addAll(explaining);
                });
        assertThat(unexplained).as("alerts that differ from the recorded ones without a named reason").isEmpty();
        assertThat(changes).as("named changes that explain no difference (stale)").allMatch(used::contains);
    }

    private static List<String> run(Path input, TraceAnalyticsConfig config) throws Exception {
        Path out = input.resolveSibling("out");
        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(
                        new Endpoint.File(input),
                        new Endpoint.File(out.resolve("alerts")),
                        new Endpoint.File(out.resolve("dlq")),
                        new Endpoint.File(out.resolve("late")),
                        false),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(summary.balanced()).isTrue();
        return JsonLinesOutput.read(out.resolve("alerts")).stream().map(JsonNode::toString).sorted().toList();
    }

    private static Map<String, Integer> counts(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line, 1, Integer::sum));
        return counts;
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(String resource) throws IOException {
        try (InputStream in = GoldenAlertsITCase.class.getResourceAsStream("/golden-alerts/" + resource)) {
            assertThat(in).as("recorded alerts %s (record with -Dgolden.record=true)", resource).isNotNull();
            return new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static void write(Path file, List<String> alerts) throws IOException {
        Files.createDirectories(file.getParent());
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(String.join("\n", alerts).concat("\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
