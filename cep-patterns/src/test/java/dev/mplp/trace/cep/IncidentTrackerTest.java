package dev.mplp.trace.cep;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {

    private static final long T0 = 1_756_893_600_000L;
    private static final Duration IDLE = Duration.ofMinutes(1);

    @Test
    void aMatchOpensTheIncidentFurtherMatchesAreDroppedAndARecoveryResolvesItUnderItsId() throws Exception {
        try (var harness = harness(IncidentTracker.resolvedWhenIdle(IDLE, AlertResolution.IDLE_EXPIRED, "idle"))) {
            harness.processElement(record(match("first", T0 + 10)));
            harness.processElement(record(match("second", T0 + 20)));
            harness.processElement(record(recovery(T0 + 30, 42.0)));
            harness.processWatermark(T0 + 100);

            assertThat(harness.extractOutputValues())
                    .extracting(a -> a.alertId, a -> a.evaluationResult, a -> a.evaluationTimestamp, a -> a.actualValue)
                    .containsExactly(
                            tuple("first", AlertState.TRIGGERED, T0 + 10, 95.0),
                            tuple("first", AlertState.RESOLVED, T0 + 30, 42.0));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void inputsAreAppliedInEventTimeOrderWhateverOrderTheyArriveIn() throws Exception {
        try (var harness = harness(IncidentTracker.resolvedWhenIdle(IDLE, AlertResolution.IDLE_EXPIRED, "idle"))) {
            harness.processElement(record(recovery(T0 + 30, 42.0)));
            harness.processElement(record(recovery(T0 + 5, 40.0)));
            harness.processElement(record(match("first", T0 + 10)));
            harness.processWatermark(T0 + 100);

            assertThat(harness.extractOutputValues())
                    .extracting(a -> a.evaluationResult, a -> a.evaluationTimestamp)
                    .containsExactly(tuple(AlertState.TRIGGERED, T0 + 10), tuple(AlertState.RESOLVED, T0 + 30));
        }
    }

    @Test
    void anIncidentNotRenewedForTheIdlePeriodIsResolvedThenAndRenewalsPushThatBack() throws Exception {
        try (var harness = harness(IncidentTracker.resolvedWhenIdle(IDLE, AlertResolution.SPAN_EXPIRED, "idle"))) {
            harness.processElement(record(match("first", T0)));
            harness.processElement(record(match("second", T0 + 30_000)));
            harness.processWatermark(T0 + 60_000);
            assertThat(harness.extractOutputValues()).hasSize(1);

            harness.processWatermark(T0 + 90_000);

            assertThat(harness.extractOutputValues())
                    .extracting(a -> a.alertId, a -> a.evaluationResult, a -> a.evaluationTimestamp, a -> a.resolution)
                    .containsExactly(
                            tuple("first", AlertState.TRIGGERED, T0, null),
                            tuple("first", AlertState.RESOLVED, T0 + 90_000, AlertResolution.SPAN_EXPIRED));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aResolutionOfAnotherIncidentLeavesTheOpenOneAlone() throws Exception {
        try (var harness = harness(IncidentTracker.resolvedWhenIdle(IDLE, AlertResolution.IDLE_EXPIRED, "idle"))) {
            harness.processElement(record(match("first", T0)));
            Alert otherResolved = recovery(T0 + 5, 1.0);
            otherResolved.alertId = "other";
            harness.processElement(record(otherResolved));
            harness.processWatermark(T0 + 100);

            assertThat(harness.extractOutputValues()).extracting(a -> a.evaluationResult)
                    .containsExactly(AlertState.TRIGGERED);
        }
    }

    @Test
    void theStateItKeepsSerializesAsPojos() {
        assertSerializedAsPojoWithoutKryo(Alert.class);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(IncidentTracker tracker)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(tracker, IncidentTracker::subjectOf, Types.STRING);
    }

    private static Alert match(String id, long at) {
        Alert alert = subject();
        alert.alertId = id;
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.actualValue = 95.0;
        alert.evaluationTimestamp = at;
        alert.startedAt = at;
        return alert;
    }

    private static Alert recovery(long at, double value) {
        Alert alert = subject();
        alert.evaluationResult = AlertState.RESOLVED;
        alert.actualValue = value;
        alert.evaluationTimestamp = at;
        alert.alertMessage = "back inside";
        return alert;
    }

    private static Alert subject() {
        Alert alert = new Alert();
        alert.alertType = "sustained_breach";
        alert.serviceName = "checkout";
        alert.operationName = "place_order";
        alert.metric = "cpu_usage_percent";
        return alert;
    }

    private static StreamRecord<Alert> record(Alert alert) {
        return new StreamRecord<>(alert, alert.evaluationTimestamp);
    }
}
