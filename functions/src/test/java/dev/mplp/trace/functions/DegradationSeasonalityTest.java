package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.functions.baseline.SeasonalProfile;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hour-of-day baseline: a window is also compared with the same hour of the previous day, so a peak that comes
 * every day at the same hour is no degradation once a day has been seen, while the same peak at another hour is.
 */
class DegradationSeasonalityTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Map<String, String> SETTINGS = Map.of(
            "detection.windows.size", "10m",
            "detection.baseline.warm-up-windows", "3",
            "detection.baseline.idle-timeout", "2d",
            // longer than the peak: here it is the hour of day, not a new normal, that makes the peak normal
            "detection.baseline.new-normal-after", "2h");

    private static final Instant DAY_ONE = Instant.parse("2025-09-03T00:00:00Z");
    private static final Duration DAYS = Duration.ofDays(2);
    private static final int DAILY_PEAK_HOUR = 9;
    private static final Instant FAULT = DAY_ONE.plus(Duration.ofDays(1)).plus(Duration.ofHours(14));
    private static final Duration FAULT_LENGTH = Duration.ofMinutes(40);

    private static final long SPANS = 60;
    private static final double NORMAL_P95 = 1000;
    private static final double PEAK_P95 = 2500;

    @Test
    void onTheSecondDayTheDailyPeakIsComparedWithYesterdaysPeakAndAFaultAtAnotherHourIsNot() throws Exception {
        long dayTwo = DAY_ONE.plus(Duration.ofDays(1)).toEpochMilli();
        List<Alert> alerts = run().stream().filter(a -> a.windowStart >= dayTwo).toList();

        assertThat(alerts).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        Alert triggered = alerts.get(0);
        assertThat(triggered.metric).isEqualTo("latency_p95_ms");
        assertThat(triggered.windowStart).isGreaterThanOrEqualTo(FAULT.toEpochMilli())
                .isLessThan(FAULT.plus(FAULT_LENGTH).toEpochMilli());
        assertThat(triggered.baselineValue).isLessThan(PEAK_P95 / 2);
        assertThat(alerts.get(1).windowStart).isEqualTo(FAULT.plus(FAULT_LENGTH).toEpochMilli());
    }

    @Test
    void onTheFirstDayTheDailyPeakIsADegradation() throws Exception {
        long dayTwo = DAY_ONE.plus(Duration.ofDays(1)).toEpochMilli();
        List<Alert> alerts = run().stream().filter(a -> a.windowStart < dayTwo).toList();

        assertThat(alerts).filteredOn(a -> a.evaluationResult == AlertState.TRIGGERED)
                .extracting(a -> Instant.ofEpochMilli(a.windowStart).atZone(java.time.ZoneOffset.UTC).getHour())
                .contains(DAILY_PEAK_HOUR);
    }

    @Test
    void theHourlyBaselinesSerializeAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(SeasonalProfile.class);
    }

    private static List<Alert> run() throws Exception {
        TraceAnalyticsConfig.Detection detection = ConfigLoader.load(null, SETTINGS).detection();
        try (DegradationDetectorHarness detector = new DegradationDetectorHarness(detection)) {
            for (Instant start = DAY_ONE; start.isBefore(DAY_ONE.plus(DAYS)); start = start.plus(WINDOW)) {
                detector.send(window(start, p95(start)));
            }
            return detector.alerts();
        }
    }

    /** Normal, alternating between two values; the daily peak hour; the fault. */
    private static double p95(Instant start) {
        if (!start.isBefore(FAULT) && start.isBefore(FAULT.plus(FAULT_LENGTH))) {
            return PEAK_P95;
        }
        if (start.atZone(java.time.ZoneOffset.UTC).getHour() == DAILY_PEAK_HOUR) {
            return PEAK_P95;
        }
        return start.toEpochMilli() / WINDOW.toMillis() % 2 == 0 ? NORMAL_P95 : NORMAL_P95 * 1.1;
    }

    private static ServiceWindow window(Instant start, double p95) {
        ServiceWindow w = new ServiceWindow();
        w.kind = ServiceWindow.KIND_OPERATION;
        w.serviceName = "catalog";
        w.operationName = "search_products";
        w.windowStart = start.toEpochMilli();
        w.windowEnd = start.plus(WINDOW).toEpochMilli();
        w.spanCount = SPANS;
        w.throughputOpsPerSec = SPANS * 1000.0 / WINDOW.toMillis();
        w.errorRatePercent = 0.0;
        w.latencyP50Ms = p95 / 2;
        w.latencyP95Ms = p95;
        w.latencyP99Ms = p95 * 1.2;
        w.latencyMaxMs = p95 * 1.5;
        return w;
    }
}
