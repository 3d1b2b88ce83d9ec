package dev.mplp.trace.generator;

import static dev.mplp.trace.generator.Runs.START;
import static dev.mplp.trace.generator.Runs.spans;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.Runs.Span;
import dev.mplp.trace.jobs.cli.DemoCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

/**
 * The demo's slow creep on catalog/search_products must be one {@code degradation_trend} can see: in every
 * one-minute window of the creep, the latency p95 lands above the trend's band over the p95 of the windows before
 * it, and not beyond its maximum deviation (which would be a degradation of its own). A factor too close to the
 * band leaves windows whose p95 noise drops them under it, which breaks the run of consecutive windows.
 */
class DemoCreepTest {

    private static final Instant CREEP_START = START.plus(Duration.ofMinutes(6));
    private static final Instant CREEP_END = CREEP_START.plus(Duration.ofMinutes(5));

    @Test
    void everyWindowOfTheDemosCreepIsAboveTheTrendsBandAndWithinItsMaximumDeviation() {
        GeneratorSettings.Builder demo = GeneratorSettings.builder()
                .seed(42)
                .start(START)
                .duration(Duration.ofMinutes(12))
                .rate(6);
        DemoCommand.FAULTS.forEach(demo::fault);
        Map<Instant, double[]> byMinute = spans(Runs.run(demo)).values().stream()
                .filter(s -> s.completed && s.start != null && s.service.equals("catalog") && s.operation.equals("search_products"))
                .collect(Collectors.groupingBy(
                        s -> s.start.truncatedTo(ChronoUnit.MINUTES),
                        TreeMap::new,
                        Collectors.collectingAndThen(Collectors.toList(),
                                list -> list.stream().mapToDouble(s -> s.durationMs).toArray())));
        double before = new Percentile().evaluate(byMinute.entrySet().stream()
                .filter(e -> e.getKey().isBefore(CREEP_START))
                .mapToDouble(e -> new Percentile().evaluate(e.getValue(), 95))
                .toArray(), 50);
        TraceAnalyticsConfig.DegradationTrend trend = ConfigLoader.defaults().patterns().degradationTrend();

        Map<Instant, Double> creep = byMinute.entrySet().stream()
                .filter(e -> !e.getKey().isBefore(CREEP_START) && e.getKey().isBefore(CREEP_END))
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> new Percentile().evaluate(e.getValue(), 95) / before, (a, b) -> a, TreeMap::new));

        assertThat(creep).hasSize(5);
        assertThat(creep.values()).as("p95 over the p95 before the creep, by minute: %s", creep).allSatisfy(ratio -> assertThat(ratio)
                .isGreaterThan(1 + trend.band())
                .isLessThanOrEqualTo(1 + trend.maxDeviation()));
    }
}
