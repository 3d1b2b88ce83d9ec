package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.ServiceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default sensitivity of {@code conf/trace-analytics.yaml} on traffic with the noise of the generator's: Poisson
 * span counts, log-normal latencies (shape 0.3 to 0.5), 1 % failing spans, summarized by {@link RedWindowSummary}
 * and fed to the {@link DegradationDetector} as the pipeline does. Seeded: the same traffic on every run.
 */
class DegradationDefaultsTest {

    private static final TraceAnalyticsConfig.Detection DEFAULTS = ConfigLoader.defaults().detection();
    private static final Duration WINDOW = DEFAULTS.windows().size();
    private static final Instant FIRST = Instant.parse("2025-09-03T00:00:00Z");

    private static final int KEYS = 20;
    private static final int WINDOWS = 120;
    private static final double SPANS_PER_WINDOW = 60;
    private static final double ERROR_SHARE = 0.01;
    private static final int FAULT_KEY = 7;
    private static final int FAULT_FROM = 60;
    private static final int FAULT_WINDOWS = 10;
    private static final int DETECTION_DELAY_WINDOWS = 3;

    private DegradationDetectorHarness detector;

    @BeforeEach
    void setUp() throws Exception {
        detector = new DegradationDetectorHarness(DEFAULTS);
    }

    @AfterEach
    void tearDown() throws Exception {
        detector.close();
    }

    @Test
    void twoHoursOfNormalNoiseOnTwentyOperationsRaiseNoAlert() throws Exception {
        run(false);

        assertThat(detector.alerts()).isEmpty();
    }

    @Test
    void tenMinutesOfDoubledLatencyOnOneOperationAreOneIncidentFoundWithinThreeWindows() throws Exception {
        run(true);

        List<Alert> alerts = detector.alerts();
        assertThat(alerts).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        Alert triggered = alerts.get(0);
        assertThat(triggered.operationName).isEqualTo(operation(FAULT_KEY));
        assertThat(triggered.metric).isEqualTo("latency_p95_ms");
        assertThat(triggered.windowStart).isLessThan(start(FAULT_FROM + DETECTION_DELAY_WINDOWS));
        Alert resolved = alerts.get(1);
        assertThat(resolved.alertId).isEqualTo(triggered.alertId);
        assertThat(resolved.windowStart).isGreaterThanOrEqualTo(start(FAULT_FROM + FAULT_WINDOWS));
    }

    private void run(boolean withFault) throws Exception {
        RandomGenerator random = new Well19937c(20250903);
        PoissonDistribution spanCount = new PoissonDistribution(random, SPANS_PER_WINDOW,
                PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS);
        RedWindowAggregate aggregate = new RedWindowAggregate();
        for (int w = 0; w < WINDOWS; w++) {
            TimeWindow window = new TimeWindow(start(w), start(w + 1));
            for (int k = 0; k < KEYS; k++) {
                boolean slow = withFault && k == FAULT_KEY && w >= FAULT_FROM && w < FAULT_FROM + FAULT_WINDOWS;
                double median = 100 + 50 * k;
                double shape = 0.3 + 0.2 * k / (KEYS - 1);
                LogNormalDistribution latency = new LogNormalDistribution(
                        random, Math.log(slow ? 2 * median : median), shape,
                        LogNormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
                int spans = spanCount.sample();
                int errors = new BinomialDistribution(random, spans, ERROR_SHARE).sample();
                RedWindowAggregate.Accumulator acc = aggregate.createAccumulator();
                for (int s = 0; s < spans; s++) {
                    aggregate.add(span(k, latency.sample(), s < errors), acc);
                }
                ServiceWindow summary = RedWindowSummary.summarize(acc, window);
                detector.harness.processElement(summary, window.maxTimestamp());
            }
            detector.harness.processWatermark(window.maxTimestamp());
        }
    }

    private static CompletedSpan span(int key, double durationMs, boolean error) {
        CompletedSpan span = new CompletedSpan();
        span.serviceName = "service-" + key % 5;
        span.operationName = operation(key);
        span.durationMs = durationMs;
        span.error = error;
        return span;
    }

    private static String operation(int key) {
        return "operation-" + key;
    }

    private static long start(int window) {
        return FIRST.plus(WINDOW.multipliedBy(window)).toEpochMilli();
    }

}
