package dev.mplp.trace.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.Backtest;
import dev.mplp.trace.jobs.BacktestDiff;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest of {@code reprocess --compare-config} over the harness's traffic: the per-rule diff between settings
 * close to the old detector's (two windows always, no extreme window, no new normal) and the defaults.
 */
class HarnessBacktestTest {

    /** The old detector's decisions, as far as the settings reach: persistence always, an incident never ends. */
    static final Map<String, String> OLD_SETTINGS = Map.of(
            "detection.baseline.extreme-factor", "1000000",
            "detection.baseline.new-normal-after", "1000d");

    @TempDir
    Path dir;

    @Test
    void theSpikeIsOnlyFoundUnderTheNewSettingsAndTheShiftUnderBoth() throws Exception {
        SeriesGenerator generator = new SeriesGenerator(22);
        List<LabelledSeries> series = List.of(generator.of(Shape.SPIKE), generator.of(Shape.LEVEL_SHIFT_UP));
        Path traffic = dir.resolve("traffic.jsonl");
        HarnessRun.writeTraffic(series, traffic, 22);
        Map<String, String> old = new HashMap<>(HarnessRun.HARNESS_SETTINGS);
        old.putAll(OLD_SETTINGS);
        TraceAnalyticsConfig current = ConfigLoader.load(null, old);
        TraceAnalyticsConfig proposed = ConfigLoader.load(null, HarnessRun.HARNESS_SETTINGS);

        BacktestDiff diff = Backtest.run(
                ArchiveInput.of(new Endpoint.File(traffic)),
                new EventTimeRange(HarnessRun.START, Instant.parse("2026-02-01T00:00:00Z")),
                current, proposed, dir.resolve("backtest"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        List<BacktestDiff.Entry> latency = diff.entries().stream()
                .filter(e -> e.any().triggered().path("alert_rule_id").asText().equals("degradation.latency_p95_ms"))
                .toList();
        assertThat(latency)
                .filteredOn(e -> e.any().triggered().path("operation_name").asText().equals(series.get(0).name()))
                .extracting(BacktestDiff.Entry::side)
                .as("the spike: one extreme window")
                .containsExactly(BacktestDiff.Side.ONLY_PROPOSED);
        assertThat(latency)
                .filteredOn(e -> e.any().triggered().path("operation_name").asText().equals(series.get(1).name()))
                .extracting(BacktestDiff.Entry::side)
                .as("the level shift: the same start under both")
                .contains(BacktestDiff.Side.BOTH);
        assertThat(diff.countsByRule().get("degradation.latency_p95_ms").onlyProposed()).isPositive();
    }
}
