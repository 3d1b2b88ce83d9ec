package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import dev.mplp.trace.functions.baseline.SeasonalProfile;
import dev.mplp.trace.functions.baseline.MetricModel;
import dev.mplp.trace.functions.baseline.WindowHistory;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DegradationDetectorTest {

    private static final String SERVICE = "mplp-workflow-service";
    private static final String OPERATION = "workflow_execution";

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int HISTORY = 64;
    private static final int WARM_UP = 5;
    private static final long MIN_SPANS = 20;
    private static final double MIN_RELATIVE_CHANGE = 0.5;
    private static final double MIN_Z = 3;
    private static final double MIN_STD_FRACTION = 0.05;
    private static final double MIN_ERROR_RATE_INCREASE = 10;
    private static final double CRITICAL_FACTOR = 2;
    private static final int MIN_DEGRADED_WINDOWS = 2;
    private static final double EXTREME_FACTOR = 3;
    /** In windows of a minute. */
    private static final int NEW_NORMAL_AFTER = 20;
    private static final Duration IDLE = Duration.ofMinutes(10);

    /** Window 0 starts here; window i covers [FIRST + i * WINDOW, FIRST + (i + 1) * WINDOW). */
    private static final Instant FIRST = Instant.parse("2025-09-03T10:00:00Z");

    private static final long NORMAL_SPANS = 60;
    private static final double NORMAL_P95 = 1000;
    private static final double NORMAL_P95_HIGH = 1100;
    private static final double NORMAL_ERROR_RATE = 2;

    private static final TraceAnalyticsConfig.Detection DETECTION = new TraceAnalyticsConfig.Detection(
            ConfigLoader.defaults().detection().thresholds(),
            ConfigLoader.defaults().detection().span(),
            new TraceAnalyticsConfig.DetectionWindows(WINDOW),
            new TraceAnalyticsConfig.DetectionBaseline(
                    HISTORY, WARM_UP, MIN_SPANS, MIN_RELATIVE_CHANGE, MIN_Z, MIN_STD_FRACTION,
                    MIN_ERROR_RATE_INCREASE, CRITICAL_FACTOR, MIN_DEGRADED_WINDOWS, EXTREME_FACTOR,
                    WINDOW.multipliedBy(NEW_NORMAL_AFTER), IDLE),
            ConfigLoader.defaults().detection().incidents());

    private DegradationDetectorHarness detector;
    private KeyedOneInputStreamOperatorTestHarness<String, ServiceWindow, ServiceWindow> harness;

    @BeforeEach
    void setUp() throws Exception {
        detector = new DegradationDetectorHarness(DETECTION);
        harness = detector.harness;
    }

    @AfterEach
    void tearDown() throws Exception {
        detector.close();
    }

    @Test
    void noWindowIsComparedBeforeTheBaselineWarmedUp() throws Exception {
        for (int i = 0; i < WARM_UP - 1; i++) {
            detector.send(normal(i));
        }
        detector.send(window(WARM_UP - 1, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));

        assertThat(detector.alerts()).isEmpty();
        assertThat(detector.windows()).hasSize(WARM_UP).allSatisfy(w -> {
            assertThat(w.baselineLatencyP95Ms).isNull();
            assertThat(w.baselineErrorRatePercent).isNull();
            assertThat(w.baselineThroughputOpsPerSec).isNull();
        });
    }

    @Test
    void aDoubledLatencyTriggersOnceAndItsEndResolvesTheSameIncident() throws Exception {
        double expected = warmUp(WARM_UP + 3);
        int fault = WARM_UP + 3;
        int triggering = fault + MIN_DEGRADED_WINDOWS - 1;
        for (int i = fault; i <= triggering + 1; i++) {
            detector.send(window(i, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));
        }
        int recovered = triggering + 2;
        detector.send(normal(recovered));

        List<Alert> alerts = detector.alerts();
        assertThat(alerts).hasSize(2);
        Alert triggered = alerts.get(0);
        assertThat(triggered.evaluationResult).isEqualTo(AlertState.TRIGGERED);
        assertThat(triggered.alertType).isEqualTo("performance_degradation");
        assertThat(triggered.alertRuleId).isEqualTo("degradation.latency_p95_ms");
        assertThat(triggered.metric).isEqualTo("latency_p95_ms");
        assertThat(triggered.serviceName).isEqualTo(SERVICE);
        assertThat(triggered.operationName).isEqualTo(OPERATION);
        assertThat(triggered.traceId).isNull();
        assertThat(triggered.spanId).isNull();
        assertThat(triggered.actualValue).isEqualTo(2 * NORMAL_P95);
        assertThat(triggered.baselineValue).isCloseTo(expected, within(1e-9));
        assertThat(triggered.deviationPercent)
                .isCloseTo((2 * NORMAL_P95 - expected) / expected * 100, within(0.01));
        assertThat(triggered.thresholdValue).isCloseTo(expected * (1 + MIN_RELATIVE_CHANGE), within(1e-9));
        assertThat(triggered.severity).isEqualTo(Severity.WARNING);
        assertThat(triggered.confidence).isGreaterThan(0.99).isLessThanOrEqualTo(1.0);
        assertThat(triggered.windowStart).isEqualTo(start(triggering));
        assertThat(triggered.windowEnd).isEqualTo(end(triggering));
        assertThat(triggered.evaluationTimestamp).isEqualTo(end(triggering));
        assertThat(triggered.startedAt).isEqualTo(end(triggering));
        assertThat(triggered.alertId)
                .isEqualTo(Alert.idOf(
                        "performance_degradation", SERVICE + "/" + OPERATION, "degradation.latency_p95_ms",
                        end(triggering)));
        assertThat(triggered.recommendedActions).isNotEmpty();
        assertThat(triggered.alertMessage).contains("latency_p95_ms 2000", "above its baseline", SERVICE, OPERATION);

        Alert resolved = alerts.get(1);
        assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.resolution).isEqualTo(AlertResolution.WITHIN_BASELINE);
        assertThat(resolved.alertId).isEqualTo(triggered.alertId);
        assertThat(resolved.startedAt).isEqualTo(end(triggering));
        assertThat(resolved.evaluationTimestamp).isEqualTo(end(recovered));
        assertThat(resolved.actualValue).isEqualTo(normal(recovered).latencyP95Ms);
        assertThat(resolved.alertMessage).contains("back within the band");
    }

    @Test
    void fewerConsecutiveMildlyDegradedWindowsThanTheMinimumRaiseNothing() throws Exception {
        warmUp(WARM_UP + 3);
        int odd = WARM_UP + 3;
        for (int i = odd; i < odd + MIN_DEGRADED_WINDOWS - 1; i++) {
            detector.send(window(i, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));
        }
        int after = odd + MIN_DEGRADED_WINDOWS - 1;
        detector.send(normal(after));
        detector.send(window(after + 1, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));

        assertThat(detector.alerts()).isEmpty();
    }

    @Test
    void aSingleExtremeWindowTriggersAtOnceAsCriticalAndTheNextNormalOneResolves() throws Exception {
        double expected = warmUp(WARM_UP + 3);
        int spike = WARM_UP + 3;
        detector.send(window(spike, NORMAL_SPANS, 25 * NORMAL_P95, NORMAL_ERROR_RATE));
        detector.send(normal(spike + 1));
        detector.send(normal(spike + 2));

        assertThat(detector.alerts()).extracting(a -> a.evaluationResult, a -> a.windowStart)
                .containsExactly(
                        tuple(AlertState.TRIGGERED, start(spike)), tuple(AlertState.RESOLVED, start(spike + 1)));
        assertThat(detector.alerts().get(0).severity).isEqualTo(Severity.CRITICAL);
        assertThat(detector.windows().get(spike + 1).baselineLatencyP95Ms)
                .as("the spike, a window of an open incident, was not learned")
                .isCloseTo(expected, within(1e-9));
    }

    @Test
    void aLastingShiftResolvesAsTheNewNormalAndIsThenItsBaseline() throws Exception {
        warmUp(WARM_UP + 3);
        int shift = WARM_UP + 3;
        int until = shift + NEW_NORMAL_AFTER + WARM_UP + 10;
        for (int i = shift; i < until; i++) {
            detector.send(window(i, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));
        }

        List<Alert> alerts = detector.alerts();
        assertThat(alerts).extracting(a -> a.evaluationResult, a -> a.resolution)
                .containsExactly(
                        tuple(AlertState.TRIGGERED, null), tuple(AlertState.RESOLVED, AlertResolution.NEW_NORMAL));
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).windowStart).isEqualTo(start(shift + NEW_NORMAL_AFTER - 1));
        assertThat(alerts.get(1).alertMessage).contains("new normal");
        assertThat(detector.windows().get(until - 1).baselineLatencyP95Ms).isCloseTo(2 * NORMAL_P95, within(1e-9));
    }

    @Test
    void aDeviationOfTheCriticalFactorIsCritical() throws Exception {
        warmUp(WARM_UP + 3);
        double critical = NORMAL_P95_HIGH * (1 + CRITICAL_FACTOR * MIN_RELATIVE_CHANGE);
        for (int i = WARM_UP + 3; i < WARM_UP + 3 + MIN_DEGRADED_WINDOWS; i++) {
            detector.send(window(i, NORMAL_SPANS, critical, NORMAL_ERROR_RATE));
        }

        assertThat(detector.alerts()).singleElement().satisfies(a -> assertThat(a.severity).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void aLongDegradationDoesNotPullItsBaselineUpAndResolvesWhenItEnds() throws Exception {
        double expected = warmUp(WARM_UP + 3);
        int fault = WARM_UP + 3;
        int faultWindows = NEW_NORMAL_AFTER - 1;
        for (int i = fault; i < fault + faultWindows; i++) {
            detector.send(window(i, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));
        }
        detector.send(normal(fault + faultWindows));

        assertThat(detector.alerts()).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(detector.windows().subList(fault, fault + faultWindows + 1))
                .allSatisfy(w -> assertThat(w.baselineLatencyP95Ms).isCloseTo(expected, within(1e-9)));
    }

    @Test
    void noiseOfTenPercentRaisesNoAlertOnTwentyKeysOverTwoHours() throws Exception {
        Random random = new Random(20250903);
        int keys = 20;
        int windows = 120;
        for (int i = 0; i < windows; i++) {
            for (int k = 0; k < keys; k++) {
                long spans = Math.round(NORMAL_SPANS * noise(random));
                harness.processElement(
                        window("service-" + k, "operation-" + k, i, spans, NORMAL_P95 * noise(random),
                                NORMAL_ERROR_RATE * noise(random)),
                        end(i) - 1);
            }
            harness.processWatermark(end(i) - 1);
        }

        assertThat(detector.alerts()).isEmpty();
        assertThat(detector.windows()).hasSize(keys * windows);
        assertThat(detector.windows().get(detector.windows().size() - 1).baselineLatencyP95Ms).isNotNull();
    }

    @Test
    void aThroughputDropTriggersAndItsRecoveryResolves() throws Exception {
        double expected = NORMAL_SPANS / 60.0;
        for (int i = 0; i < WARM_UP + 3; i++) {
            detector.send(normal(i));
        }
        long dropped = NORMAL_SPANS / 6;
        int recovered = WARM_UP + 3 + MIN_DEGRADED_WINDOWS;
        for (int i = WARM_UP + 3; i < recovered; i++) {
            detector.send(window(i, dropped, NORMAL_P95, NORMAL_ERROR_RATE));
        }
        detector.send(normal(recovered));

        List<Alert> alerts = detector.alerts();
        assertThat(alerts).extracting(a -> a.alertRuleId)
                .containsExactly("degradation.throughput_ops_per_sec", "degradation.throughput_ops_per_sec");
        Alert triggered = alerts.get(0);
        assertThat(triggered.metric).isEqualTo("throughput_ops_per_sec");
        assertThat(triggered.actualValue).isEqualTo(dropped / 60.0);
        assertThat(triggered.baselineValue).isCloseTo(expected, within(1e-9));
        assertThat(triggered.deviationPercent).isNegative();
        assertThat(triggered.severity).isEqualTo(Severity.WARNING);
        assertThat(alerts.get(1).alertId).isEqualTo(triggered.alertId);
        assertThat(alerts.get(1).resolution).isEqualTo(AlertResolution.WITHIN_BASELINE);
    }

    @Test
    void aWindowWithoutSpansIsEvaluatedAsThroughputZeroWhenTheWatermarkPassesIt() throws Exception {
        warmUp(WARM_UP + 3);
        int silent = WARM_UP + 3;
        detector.processWatermark(end(silent) - 2);
        assertThat(detector.windows()).hasSize(silent);

        int silentUntil = silent + MIN_DEGRADED_WINDOWS - 1;
        detector.processWatermark(end(silentUntil) - 1);

        assertThat(detector.windows()).hasSize(silentUntil + 1);
        ServiceWindow empty = detector.windows().get(silent);
        assertThat(empty.kind).isEqualTo(ServiceWindow.KIND_OPERATION);
        assertThat(empty.serviceName).isEqualTo(SERVICE);
        assertThat(empty.operationName).isEqualTo(OPERATION);
        assertThat(empty.windowStart).isEqualTo(start(silent));
        assertThat(empty.windowEnd).isEqualTo(end(silent));
        assertThat(empty.spanCount).isZero();
        assertThat(empty.throughputOpsPerSec).isZero();
        assertThat(empty.latencyP95Ms).isNull();
        assertThat(empty.errorRatePercent).isNull();
        assertThat(empty.baselineThroughputOpsPerSec).isNotNull();
        assertThat(detector.alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertRuleId).isEqualTo("degradation.throughput_ops_per_sec");
            assertThat(a.actualValue).isZero();
            assertThat(a.severity).isEqualTo(Severity.CRITICAL);
            assertThat(a.evaluationTimestamp).isEqualTo(end(silentUntil));
        });
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theEndOfABoundedInputIsNoThroughputDropAndResolvesOpenIncidentsAsIdle() throws Exception {
        warmUp(WARM_UP + 3);
        int fault = WARM_UP + 3;
        int last = fault + MIN_DEGRADED_WINDOWS - 1;
        for (int i = fault; i <= last; i++) {
            detector.send(window(i, NORMAL_SPANS, 2 * NORMAL_P95, NORMAL_ERROR_RATE));
        }

        detector.processWatermark(Long.MAX_VALUE);

        assertThat(detector.windows()).hasSize(last + 1);
        List<Alert> alerts = detector.alerts();
        assertThat(alerts).extracting(a -> a.metric, a -> a.evaluationResult, a -> a.resolution)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("latency_p95_ms", AlertState.TRIGGERED, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "latency_p95_ms", AlertState.RESOLVED, AlertResolution.IDLE_EXPIRED));
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).evaluationTimestamp).isEqualTo(end(last) + IDLE.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void atTheEndOfTheInputTheEmptyWindowsReachWhereItsEventTimeWentWhateverTheLastWatermarkWas() throws Exception {
        // streaming, watermark by watermark: the operation stops while the input's event time goes on
        warmUp(WARM_UP + 3);
        int silentUntil = WARM_UP + 3 + MIN_DEGRADED_WINDOWS;
        detector.processWatermark(end(silentUntil) - 1);
        detector.processWatermark(Long.MAX_VALUE);
        List<Alert> watermarkByWatermark = detector.alerts();
        List<ServiceWindow> windowsWatermarkByWatermark = detector.windows();
        assertThat(watermarkByWatermark).extracting(a -> a.metric, a -> a.evaluationResult, a -> a.resolution)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("throughput_ops_per_sec", AlertState.TRIGGERED, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "throughput_ops_per_sec", AlertState.RESOLVED, AlertResolution.IDLE_EXPIRED));

        // the same input where the last watermark before the end lagged (the subtask that finished last was behind)
        detector.close();
        detector = new DegradationDetectorHarness(DETECTION);
        harness = detector.harness;
        warmUp(WARM_UP + 3);
        detector.emptyWindows.processBroadcastElement(end(silentUntil), end(silentUntil) - 1);
        detector.processWatermark(Long.MAX_VALUE);

        assertThat(detector.alerts()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(watermarkByWatermark);
        assertThat(detector.windows()).containsExactlyElementsOf(windowsWatermarkByWatermark);
        assertThat(detector.emptyWindowsStateEntries()).isZero();
        assertThat(detector.emptyWindows.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aBatchRunWithTheFrontierReadFirstAndTimersOnlyAtTheEndFindsWhatAStreamingRunFinds() throws Exception {
        int active = WARM_UP + 3;
        int silentUntil = active + MIN_DEGRADED_WINDOWS + 2;
        warmUp(active);
        detector.processWatermark(end(silentUntil) - 1);
        detector.processWatermark(Long.MAX_VALUE);
        List<Alert> streaming = detector.alerts();
        assertThat(streaming).isNotEmpty();

        // BATCH: the broadcast side first, then the key's windows sorted by time without watermarks, then its timers
        try (DegradationDetectorHarness batch = new DegradationDetectorHarness(DETECTION)) {
            batch.emptyWindows.processBroadcastElement(end(silentUntil), Long.MIN_VALUE);
            for (int i = 0; i < active; i++) {
                batch.emptyWindows.processElement(normal(i), end(i) - 1);
            }
            batch.processWatermark(Long.MAX_VALUE);

            assertThat(batch.alerts()).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(streaming);
            assertThat(batch.windows()).containsExactlyElementsOf(detector.windows());
        }
    }

    @Test
    void aWindowAfterAGapHasTheGapsEmptyWindowsEvaluatedFirst() throws Exception {
        warmUp(WARM_UP + 3);
        int back = WARM_UP + 3 + MIN_DEGRADED_WINDOWS;
        detector.send(normal(back));

        List<org.assertj.core.groups.Tuple> expected = new ArrayList<>();
        for (int i = WARM_UP + 3; i < back; i++) {
            expected.add(org.assertj.core.groups.Tuple.tuple(start(i), 0L));
        }
        expected.add(org.assertj.core.groups.Tuple.tuple(start(back), NORMAL_SPANS));
        assertThat(detector.windows().subList(WARM_UP + 3, detector.windows().size()))
                .extracting(w -> w.windowStart, w -> w.spanCount)
                .containsExactlyElementsOf(expected);
        assertThat(detector.alerts()).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
    }

    @Test
    void windowsBelowTheMinimumVolumeAreNeitherComparedNorLearned() throws Exception {
        double expected = warmUp(WARM_UP + 3);
        int quiet = WARM_UP + 3;
        for (int i = quiet; i < quiet + MIN_DEGRADED_WINDOWS; i++) {
            detector.send(window(i, MIN_SPANS - 1, 3 * NORMAL_P95, 50));
        }
        int after = quiet + MIN_DEGRADED_WINDOWS;
        detector.send(normal(after));

        assertThat(detector.alerts()).extracting(a -> a.metric).doesNotContain("latency_p95_ms", "error_rate_percent");
        assertThat(detector.windows().get(quiet).baselineLatencyP95Ms).isNull();
        assertThat(detector.windows().get(quiet).baselineErrorRatePercent).isNull();
        assertThat(detector.windows().get(after).baselineLatencyP95Ms).isCloseTo(expected, within(1e-9));
    }

    @Test
    void aThroughputDropIsNotReportedWhereTheBaselineExpectsTooFewSpans() throws Exception {
        long few = MIN_SPANS / 2;
        for (int i = 0; i < WARM_UP + 3; i++) {
            detector.send(window(i, few, NORMAL_P95, 0));
        }
        for (int i = WARM_UP + 3; i < WARM_UP + 3 + MIN_DEGRADED_WINDOWS; i++) {
            detector.send(window(i, 1, NORMAL_P95, 0));
        }
        detector.processWatermark(end(WARM_UP + 5) - 1);

        assertThat(detector.alerts()).isEmpty();
        assertThat(detector.windows()).hasSize(WARM_UP + 6);
    }

    @Test
    void anErrorRateMustRiseByTheMinimumIncreaseToCount() throws Exception {
        warmUp(WARM_UP + 3);
        int fault = WARM_UP + 3;
        int risen = fault + MIN_DEGRADED_WINDOWS;
        for (int i = fault; i < risen; i++) {
            detector.send(window(i, NORMAL_SPANS, NORMAL_P95, NORMAL_ERROR_RATE + MIN_ERROR_RATE_INCREASE * 0.9));
        }
        assertThat(detector.alerts()).isEmpty();

        for (int i = risen; i < risen + MIN_DEGRADED_WINDOWS; i++) {
            detector.send(window(i, NORMAL_SPANS, NORMAL_P95, NORMAL_ERROR_RATE + MIN_ERROR_RATE_INCREASE * 1.5));
        }

        assertThat(detector.alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertRuleId).isEqualTo("degradation.error_rate_percent");
            assertThat(a.metric).isEqualTo("error_rate_percent");
            assertThat(a.actualValue).isEqualTo(NORMAL_ERROR_RATE + MIN_ERROR_RATE_INCREASE * 1.5);
        });
    }

    @Test
    void anIdleOperationIsForgottenWithItsOpenIncidentsResolvedAndNoStateOrTimerLeft() throws Exception {
        warmUp(WARM_UP + 3);
        int last = WARM_UP + 2;
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        long forgottenAt = end(last) + IDLE.toMillis();
        detector.processWatermark(forgottenAt - 2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        detector.processWatermark(forgottenAt - 1);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        List<Alert> alerts = detector.alerts();
        assertThat(alerts).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(alerts.get(1).resolution).isEqualTo(AlertResolution.IDLE_EXPIRED);
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).evaluationTimestamp).isEqualTo(forgottenAt);
        long emptyWindows = IDLE.toMillis() / WINDOW.toMillis() - 1;
        assertThat(detector.windows()).hasSize((int) (WARM_UP + 3 + emptyWindows));

        detector.send(normal(last + 20));
        assertThat(detector.windows().get(detector.windows().size() - 1).baselineLatencyP95Ms).as("warms up again").isNull();
    }

    @Test
    void aWindowNotAfterTheLastOneIsIgnored() throws Exception {
        warmUp(WARM_UP);
        detector.send(normal(WARM_UP - 1));
        detector.send(normal(2));

        assertThat(detector.windows()).hasSize(WARM_UP);
    }

    @Test
    void itsStateSerializesAsPojosWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(DegradationDetector.OperationBaseline.class);
        assertSerializedAsPojoWithoutKryo(EmptyOperationWindows.OperationProgress.class);
        assertSerializedAsPojoWithoutKryo(DegradationDetector.MetricBaseline.class);
        assertSerializedAsPojoWithoutKryo(MetricModel.class);
        assertSerializedAsPojoWithoutKryo(WindowHistory.class);
        assertSerializedAsPojoWithoutKryo(SeasonalProfile.class);
    }

    /** Sends normal windows 0 .. count - 1 and returns the latency baseline they teach: their median. */
    private double warmUp(int count) throws Exception {
        double[] latencies = new double[count];
        for (int i = 0; i < count; i++) {
            ServiceWindow w = normal(i);
            detector.send(w);
            latencies[i] = w.latencyP95Ms;
        }
        return new Median().evaluate(latencies);
    }

    /** A normal window: alternating p95, so that the baseline has a variance. */
    private static ServiceWindow normal(int index) {
        return window(index, NORMAL_SPANS, index % 2 == 0 ? NORMAL_P95 : NORMAL_P95_HIGH, NORMAL_ERROR_RATE);
    }

    private static ServiceWindow window(int index, long spans, double p95, double errorRatePercent) {
        return window(SERVICE, OPERATION, index, spans, p95, errorRatePercent);
    }

    private static ServiceWindow window(
            String service, String operation, int index, long spans, double p95, double errorRatePercent) {
        ServiceWindow w = new ServiceWindow();
        w.kind = ServiceWindow.KIND_OPERATION;
        w.serviceName = service;
        w.operationName = operation;
        w.windowStart = start(index);
        w.windowEnd = end(index);
        w.spanCount = spans;
        w.errorSpanCount = Math.round(spans * errorRatePercent / 100);
        w.throughputOpsPerSec = spans * 1000.0 / WINDOW.toMillis();
        w.errorRatePercent = errorRatePercent;
        w.latencyP50Ms = p95 / 2;
        w.latencyP95Ms = p95;
        w.latencyP99Ms = p95 * 1.2;
        w.latencyMaxMs = p95 * 1.5;
        return w;
    }

    /** A factor within ±10 %. */
    private static double noise(Random random) {
        return 0.9 + 0.2 * random.nextDouble();
    }

    private static long start(int index) {
        return FIRST.plus(WINDOW.multipliedBy(index)).toEpochMilli();
    }

    private static long end(int index) {
        return start(index + 1);
    }



}
