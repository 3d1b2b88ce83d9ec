package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.config.NameMatcher;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    private static final long T0 = 1_756_893_600_000L;
    private static final long MINUTE = 60_000;
    private static final TraceAnalyticsConfig.Flapping FOUR_IN_15M =
            new TraceAnalyticsConfig.Flapping(4, Duration.ofMinutes(15));
    /** For the tests of the other rules: their few toggles are no flapping. */
    private static final TraceAnalyticsConfig.Flapping TEN_IN_15M =
            new TraceAnalyticsConfig.Flapping(10, Duration.ofMinutes(15));

    @Test
    void aRepeatedTriggerAndTheResolutionOfAnIncidentNotOpenAreDropped() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ZERO)) {
            harness.processElement(record(triggered("a", 0)));
            harness.processElement(record(triggered("a", 1)));
            harness.processElement(record(resolved("b", 2)));
            harness.processElement(record(resolved("a", 3)));
            harness.processElement(record(resolved("a", 4)));
            harness.processWatermark(T0 + 4);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult)
                    .containsExactly(tuple("a", AlertState.TRIGGERED), tuple("a", AlertState.RESOLVED));
        }
    }

    @Test
    void aResolutionThatComesBeforeItsTriggeredRecordOfTheSameInstantFollowsIt() throws Exception {
        // one message opened and closed the incident; a batch run may hand the two records over in either order
        try (var harness = harness(Duration.ZERO, Duration.ZERO)) {
            harness.processElement(record(resolved("a", 2)));
            harness.processElement(record(triggered("a", 2)));
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult)
                    .containsExactly(tuple("a", AlertState.TRIGGERED), tuple("a", AlertState.RESOLVED));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anIncidentShorterThanTheMinimumFiringDurationIsNotSentALongerOneIsOnceItLasted() throws Exception {
        try (var harness = harness(Duration.ofMinutes(1), Duration.ZERO)) {
            harness.processElement(record(triggered("short", 0)));
            harness.processElement(record(resolved("short", MINUTE / 2)));
            harness.processElement(record(triggered("long", 5 * MINUTE)));
            harness.processWatermark(T0 + 6 * MINUTE - 1);
            assertThat(sent(harness)).isEmpty();

            harness.processWatermark(T0 + 6 * MINUTE);
            harness.processElement(record(resolved("long", 8 * MINUTE)));
            harness.processWatermark(T0 + 8 * MINUTE);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult)
                    .containsExactly(tuple("long", AlertState.TRIGGERED), tuple("long", AlertState.RESOLVED));
        }
    }

    @Test
    void aRetriggerWithinTheRecoveryPeriodContinuesTheIncidentUnderItsFirstId() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ofMinutes(1))) {
            harness.processElement(record(triggered("first", 0)));
            harness.processElement(record(resolved("first", MINUTE / 6)));
            harness.processElement(record(triggered("second", MINUTE / 2)));
            harness.processElement(record(resolved("second", 5 * MINUTE)));
            harness.processWatermark(T0 + 6 * MINUTE - 1);
            assertThat(sent(harness)).hasSize(1);

            harness.processWatermark(T0 + 6 * MINUTE);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult, a -> a.evaluationTimestamp)
                    .containsExactly(
                            tuple("first", AlertState.TRIGGERED, T0),
                            tuple("first", AlertState.RESOLVED, T0 + 5 * MINUTE));
        }
    }

    @Test
    void anIncidentTogglingOftenBecomesOneFlappingAlertAndItsTogglesAreHeldBack() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ZERO, FOUR_IN_15M)) {
            String[] ids = {"a", "b", "c", "d"};
            for (int i = 0; i < ids.length; i++) {
                harness.processElement(record(triggered(ids[i], 2L * i * MINUTE)));
                harness.processElement(record(resolved(ids[i], (2L * i + 1) * MINUTE)));
            }
            harness.processElement(record(triggered("e", 8 * MINUTE)));
            harness.processWatermark(T0 + 8 * MINUTE + 15 * MINUTE);
            harness.processElement(record(resolved("e", 40 * MINUTE)));
            harness.processWatermark(T0 + 40 * MINUTE);

            assertThat(sent(harness))
                    .extracting(a -> a.alertType, a -> a.alertId, a -> a.evaluationResult)
                    .containsExactly(
                            tuple("sustained_breach", "a", AlertState.TRIGGERED),
                            tuple("sustained_breach", "a", AlertState.RESOLVED),
                            tuple("sustained_breach", "b", AlertState.TRIGGERED),
                            tuple("flapping", flappingId(3 * MINUTE), AlertState.TRIGGERED),
                            tuple("flapping", flappingId(3 * MINUTE), AlertState.RESOLVED),
                            tuple("sustained_breach", "b", AlertState.RESOLVED));
            Alert settled = sent(harness).get(4);
            assertThat(settled.evaluationTimestamp).isEqualTo(T0 + 8 * MINUTE + 15 * MINUTE);
            assertThat(settled.resolution).isEqualTo(AlertResolution.RECOVERED);
        }
    }

    @Test
    void aWarningFarBeyondItsLimitIsSentAsCriticalAndResolvedAsSent() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ZERO)) {
            Alert far = triggered("far", 0);
            far.deviationPercent = 150.0;
            harness.processElement(record(far));
            harness.processElement(record(resolved("far", MINUTE)));
            Alert near = triggered("near", 2 * MINUTE);
            near.deviationPercent = 20.0;
            harness.processElement(record(near));
            harness.processWatermark(T0 + 2 * MINUTE);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.severity)
                    .containsExactly(
                            tuple("far", Severity.CRITICAL), tuple("far", Severity.CRITICAL), tuple("near", Severity.WARNING));
        }
    }

    @Test
    void nothingIsLeftOnceAnIncidentIsResolvedAndItsTogglesArePast() throws Exception {
        try (var harness = harness(Duration.ofMinutes(1), Duration.ofMinutes(1))) {
            harness.processElement(record(triggered("a", 0)));
            harness.processElement(record(resolved("a", 5 * MINUTE)));
            harness.processWatermark(T0 + 60 * MINUTE);

            assertThat(sent(harness)).hasSize(2);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aSpansIncidentResolvedByItsCompletionIsSentAtOnceAndTheSpanForgotten() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ofMinutes(1), FOUR_IN_15M)) {
            harness.processElement(record(onSpan("span-1", triggered("opened-before", 0))));
            harness.processElement(record(onSpan("span-1", completed("opened-before", MINUTE / 6))));
            // one completion opened and closed the other incident: its resolution may come first
            harness.processElement(record(onSpan("span-2", completed("opened-by-completion", MINUTE / 3))));
            harness.processElement(record(onSpan("span-2", triggered("opened-by-completion", MINUTE / 3))));
            harness.processWatermark(T0 + MINUTE / 3);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult, a -> a.evaluationTimestamp)
                    .containsExactly(
                            tuple("opened-before", AlertState.TRIGGERED, T0),
                            tuple("opened-before", AlertState.RESOLVED, T0 + MINUTE / 6),
                            tuple("opened-by-completion", AlertState.TRIGGERED, T0 + MINUTE / 3),
                            tuple("opened-by-completion", AlertState.RESOLVED, T0 + MINUTE / 3));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aSpansIncidentThatRecoveredIsHeldForTheRecoveryPeriodWhileTheSpanGoesOn() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ofMinutes(1), FOUR_IN_15M)) {
            harness.processElement(record(onSpan("span-1", triggered("a", 0))));
            harness.processElement(record(onSpan("span-1", resolved("a", MINUTE / 6))));
            harness.processWatermark(T0 + MINUTE / 6);
            assertThat(sent(harness)).hasSize(1);
            assertThat(harness.numEventTimeTimers()).isPositive();

            harness.processWatermark(T0 + MINUTE / 6 + MINUTE);
            assertThat(sent(harness)).hasSize(2);
        }
    }

    @Test
    void aSpansIncidentThatRecoveredIsSentWhenTheSpanCompletesAndTheSpanForgotten() throws Exception {
        try (var harness = harness(Duration.ZERO, Duration.ofMinutes(1), FOUR_IN_15M)) {
            harness.processElement(record(onSpan("span-1", triggered("a", 0))));
            harness.processElement(record(onSpan("span-1", resolved("a", MINUTE / 6))));
            harness.processElement(record(onSpan("span-1", completed("a", MINUTE / 3))));
            // recovered by the completion's own values: the same instant
            harness.processElement(record(onSpan("span-2", triggered("b", 0))));
            harness.processElement(record(onSpan("span-2", completed("b", MINUTE / 3))));
            harness.processElement(record(onSpan("span-2", resolved("b", MINUTE / 3))));
            harness.processWatermark(T0 + MINUTE / 3);

            assertThat(sent(harness))
                    .extracting(a -> a.alertId, a -> a.evaluationResult, a -> a.resolution, a -> a.evaluationTimestamp)
                    .containsExactlyInAnyOrder(
                            tuple("a", AlertState.TRIGGERED, null, T0),
                            tuple("a", AlertState.RESOLVED, AlertResolution.RECOVERED, T0 + MINUTE / 6),
                            tuple("b", AlertState.TRIGGERED, null, T0),
                            tuple("b", AlertState.RESOLVED, AlertResolution.RECOVERED, T0 + MINUTE / 3));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aSilenceDropsTheAlertsMatchingEveryFieldItGives() {
        Silences silences = new Silences(List.of(new Silence(NameMatcher.valueOf("checkout"), null, NameMatcher.valueOf("error_burst"))));
        Alert burst = triggered("a", 0);
        burst.alertType = "error_burst";

        assertThat(silences.filter(burst)).isFalse();
        assertThat(silences.filter(triggered("b", 0))).isTrue();
        burst.serviceName = "payments";
        assertThat(silences.filter(burst)).isTrue();
    }

    private static String flappingId(long offset) {
        return Alert.idOf("flapping", AlertLifecycle.subjectOf(triggered("x", 0)), "sustained.cpu_usage_percent",
                T0 + offset);
    }

    private static List<Alert> sent(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness) {
        return harness.extractOutputValues();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(
            Duration minFiring, Duration recovery) throws Exception {
        return harness(minFiring, recovery, TEN_IN_15M);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(
            Duration minFiring, Duration recovery, TraceAnalyticsConfig.Flapping flapping) throws Exception {
        var lifecycle = new TraceAnalyticsConfig.Lifecycle(minFiring, recovery, flapping, 100, List.of());
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertLifecycle(lifecycle), AlertLifecycle::subjectOf, Types.STRING);
    }

    private static Alert triggered(String id, long offset) {
        Alert alert = new Alert();
        alert.alertId = id;
        alert.alertType = "sustained_breach";
        alert.alertRuleId = "sustained.cpu_usage_percent";
        alert.severity = Severity.WARNING;
        alert.serviceName = "checkout";
        alert.operationName = "place_order";
        alert.metric = "cpu_usage_percent";
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.evaluationTimestamp = T0 + offset;
        alert.startedAt = T0 + offset;
        return alert;
    }

    private static Alert resolved(String id, long offset) {
        Alert alert = triggered(id, offset);
        alert.evaluationResult = AlertState.RESOLVED;
        alert.resolution = AlertResolution.RECOVERED;
        return alert;
    }

    private static Alert completed(String id, long offset) {
        Alert alert = resolved(id, offset);
        alert.resolution = AlertResolution.SPAN_COMPLETED;
        return alert;
    }

    private static Alert onSpan(String spanId, Alert alert) {
        alert.alertType = "threshold_breach";
        alert.traceId = "trace-1";
        alert.spanId = spanId;
        return alert;
    }

    private static StreamRecord<Alert> record(Alert alert) {
        return new StreamRecord<>(alert, alert.evaluationTimestamp);
    }
}
