package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.ingest.EventTimeRange;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprocess}: the streaming pipeline in batch mode over an archive, and the backtest of a rule change. */
class ReprocessITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of("checkpointing.interval", "1s"));
    private static final Instant TRAFFIC_START = Instant.parse("2025-09-03T10:00:00Z");
    private static final EventTimeRange ALL_OF_IT =
            new EventTimeRange(TRAFFIC_START.minus(Duration.ofHours(1)), TRAFFIC_START.plus(Duration.ofHours(1)));

    @TempDir
    Path dir;

    @Test
    void reprocessingWhatTheStreamingJobReadGivesTheSameAlerts() throws Exception {
        Path archive = dir.resolve("archive.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                .seed(21)
                .start(TRAFFIC_START)
                .duration(Duration.ofSeconds(90))
                .rate(4)
                .fault("latency:checkout/charge@+20s/30s:factor=5")
                .fault("cpu:catalog@+30s/30s:percent=97")
                .fault("errors:inventory@+10s/40s:fraction=0.5")
                .build()), archive, 0);
        Path streamed = dir.resolve("streamed");
        StreamJob.run(new StreamJob.Options(new Endpoint.File(archive), new Endpoint.File(streamed),
                new Endpoint.File(dir.resolve("dlq")), null, false), CONFIG, quiet());

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                new Endpoint.File(archive), ALL_OF_IT, new Endpoint.File(dir.resolve("reprocessed")), null),
                CONFIG, quiet());

        List<String> streamedAlerts = sortedLines(streamed);
        assertThat(streamedAlerts).hasSizeGreaterThan(20);
        assertThat(sortedLines(dir.resolve("reprocessed"))).isEqualTo(streamedAlerts);
        assertThat(summary.balanced()).isTrue();
        assertThat(summary.outOfRange()).isZero();
    }

    @Test
    void messagesOutsideTheRangeAreCountedAndLeftOut() throws Exception {
        Path archive = writeLines("spans.jsonl", List.of(
                span("00000000000000000000000000000001", TRAFFIC_START, 12_000),
                span("00000000000000000000000000000002", TRAFFIC_START.plus(Duration.ofMinutes(30)), 12_000)));

        RunSummary summary = ReprocessJob.run(new ReprocessJob.Options(
                new Endpoint.File(archive),
                new EventTimeRange(TRAFFIC_START.plus(Duration.ofMinutes(20)), TRAFFIC_START.plus(Duration.ofHours(1))),
                new Endpoint.File(dir.resolve("alerts")),
                null), CONFIG, quiet());

        assertThat(summary.read()).isEqualTo(4);
        assertThat(summary.outOfRange()).isEqualTo(2);
        assertThat(summary.accepted()).isEqualTo(2);
        assertThat(summary.balanced()).isTrue();
        assertThat(Backtest.readAlerts(dir.resolve("alerts")))
                .extracting(a -> a.get("trace_id").asText())
                .containsOnly("00000000000000000000000000000002");
    }

    @Test
    void aLoweredDurationThresholdShowsExactlyTheExtraIncidentsInTheBacktest() throws Exception {
        // spans that declare no limits of their own, so the configured defaults apply
        List<String> lines = new ArrayList<>();
        long[] durations = {3_000, 6_000, 9_000, 12_000};
        for (int i = 0; i < durations.length; i++) {
            lines.addAll(List.of(span(
                    String.format("%032x", i + 1), TRAFFIC_START.plusSeconds(60L * i), durations[i]).split("\n")));
        }
        Path archive = writeLines("constructed.jsonl", lines);
        Path proposal = dir.resolve("proposal.yaml");
        Files.writeString(proposal, "detection:\n  thresholds:\n    defaults:\n      duration-ms: 5000\n");
        TraceAnalyticsConfig proposed = ConfigLoader.loadLayers(List.of(proposal), Map.of());

        BacktestDiff diff = Backtest.run(
                new Endpoint.File(archive), ALL_OF_IT, CONFIG, proposed, dir.resolve("backtest"), quiet());

        // the 12 s span also outlives the incomplete-span timeout, twice its (now lower) duration limit
        assertThat(diff.countsByRule()).isEqualTo(Map.of(
                "pattern.incomplete_span", new BacktestDiff.RuleCounts(0, 1, 0),
                "threshold.duration_ms", new BacktestDiff.RuleCounts(0, 2, 1)));
        assertThat(diff.entries())
                .filteredOn(e -> e.any().rule().equals("threshold.duration_ms"))
                .extracting(e -> e.side(), e -> e.any().triggered().get("trace_id").asText())
                .containsExactly(
                        tuple(BacktestDiff.Side.ONLY_PROPOSED, String.format("%032x", 2)),
                        tuple(BacktestDiff.Side.ONLY_PROPOSED, String.format("%032x", 3)),
                        tuple(BacktestDiff.Side.BOTH, String.format("%032x", 4)));
        assertThat(Files.readAllLines(dir.resolve("backtest").resolve("diff.jsonl"))).hasSize(4);
    }

    /** A start without limits of its own and a completion {@code durationMs} later, as two JSON lines. */
    private static String span(String traceId, Instant start, long durationMs) {
        String startLine = ProtocolMessages.start()
                .messageId("start-" + traceId)
                .traceId(traceId)
                .at(start)
                .removeFromBody("monitoring_configuration")
                .json();
        String completionLine = ProtocolMessages.completion()
                .messageId("complete-" + traceId)
                .traceId(traceId)
                .at(start.plusMillis(durationMs))
                .setInBody("final_metrics.total_duration_ms", durationMs)
                .json();
        return startLine + "\n" + completionLine;
    }

    private Path writeLines(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        List<String> split = new ArrayList<>();
        lines.forEach(line -> split.addAll(List.of(line.split("\n"))));
        Files.write(file, split, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> sortedLines(Path output) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode alert : Backtest.readAlerts(output)) {
            lines.add(alert.toString());
        }
        lines.sort(null);
        return lines;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
