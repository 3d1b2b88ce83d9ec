package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DegradationTrendTest {

    private static final TraceAnalyticsConfig.DegradationTrend TREND =
            new TraceAnalyticsConfig.DegradationTrend(3, 0.2, 1.0, Duration.ofMinutes(5), 20);
    private static final long T0 = Instant.parse("2025-09-03T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final double BASELINE = 100;
    /** Above the band (120) but far from the degradation threshold (200). */
    private static final double CREEPING = 130;
    private static final double INSIDE = 110;
    private static final double DEGRADED = 250;

    @Test
    void threeAdjacentWindowsAboveTheBandAreATrend() throws Exception {
        List<Alert> alerts = trends(window(0, CREEPING), window(1, CREEPING), window(2, CREEPING));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.alertType).isEqualTo("degradation_trend");
            assertThat(alert.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(alert.serviceName).isEqualTo("checkout");
            assertThat(alert.operationName).isEqualTo("place_order");
            assertThat(alert.baselineValue).isEqualTo(BASELINE);
            assertThat(alert.actualValue).isEqualTo(CREEPING);
            assertThat(alert.deviationPercent).isEqualTo(30.0);
            assertThat(alert.windowStart).isEqualTo(T0);
            assertThat(alert.windowEnd).isEqualTo(T0 + 3 * MINUTE);
        });
    }

    @Test
    void aWindowBackInsideTheBandBreaksTheRun() throws Exception {
        assertThat(trends(window(0, CREEPING), window(1, CREEPING), window(2, INSIDE), window(3, CREEPING)))
                .isEmpty();
    }

    @Test
    void aWindowBeyondTheDegradationThresholdIsNoCreep() throws Exception {
        assertThat(trends(window(0, CREEPING), window(1, DEGRADED), window(2, CREEPING))).isEmpty();
    }

    @Test
    void windowsWithAGapBetweenThemAreNotConsecutive() throws Exception {
        assertThat(trends(window(0, CREEPING), window(1, CREEPING), window(3, CREEPING))).isEmpty();
    }

    @Test
    void onlyOperationWindowsWithABaselineAndEnoughSpansAreCompared() {
        ServiceWindow withoutBaseline = window(0, CREEPING).getValue();
        withoutBaseline.baselineLatencyP95Ms = null;
        ServiceWindow resource = window(0, CREEPING).getValue();
        resource.kind = ServiceWindow.KIND_RESOURCE;
        ServiceWindow quiet = window(0, CREEPING).getValue();
        quiet.spanCount = TREND.minSpans() - 1;

        assertThat(DegradationTrend.isCompared(window(0, CREEPING).getValue(), TREND.minSpans())).isTrue();
        assertThat(DegradationTrend.isCompared(withoutBaseline, TREND.minSpans())).isFalse();
        assertThat(DegradationTrend.isCompared(resource, TREND.minSpans())).isFalse();
        assertThat(DegradationTrend.isCompared(quiet, TREND.minSpans())).isFalse();
    }

    @Test
    void noPatternStateIsLeftAfterAMatchAndAfterPartialRunsExpire() throws Exception {
        try (var harness = harness()) {
            for (int i = 0; i < 5; i++) {
                harness.processElement(window(i, CREEPING));
            }
            harness.processWatermark(T0 + 30 * MINUTE);

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @SafeVarargs
    private static List<Alert> trends(StreamRecord<ServiceWindow>... windows) throws Exception {
        try (var harness = harness()) {
            for (StreamRecord<ServiceWindow> window : windows) {
                harness.processElement(window);
            }
            harness.processWatermark(T0 + 30 * MINUTE);
            return harness.extractOutputValues();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ServiceWindow, Alert> harness() throws Exception {
        return CepHarness.of(
                ServiceWindow.class,
                window -> window.serviceName + "|" + window.operationName,
                DegradationTrend.pattern(TREND),
                new DegradationTrend.TrendAlerts(TREND));
    }

    private static StreamRecord<ServiceWindow> window(int minute, double latencyP95Ms) {
        ServiceWindow window = new ServiceWindow();
        window.kind = ServiceWindow.KIND_OPERATION;
        window.serviceName = "checkout";
        window.operationName = "place_order";
        window.windowStart = T0 + minute * MINUTE;
        window.windowEnd = window.windowStart + MINUTE;
        window.spanCount = 100;
        window.latencyP95Ms = latencyP95Ms;
        window.baselineLatencyP95Ms = BASELINE;
        return new StreamRecord<>(window, window.windowEnd - 1);
    }
}
