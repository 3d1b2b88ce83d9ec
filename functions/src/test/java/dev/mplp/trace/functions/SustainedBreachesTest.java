package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MetricEvaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sustained_breach}: N of M consecutive evaluations of a (service, operation, metric) within T. */
class SustainedBreachesTest {

    private static final TraceAnalyticsConfig.SustainedBreach THREE_OF_FIVE =
            new TraceAnalyticsConfig.SustainedBreach(3, 5, Duration.ofMinutes(5));
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final double LIMIT = 80;
    private static final double HIGH = 95;
    private static final double NORMAL = 40;
    private static final Duration STEP = Duration.ofSeconds(30);
    /** detection.baseline.idle-timeout */
    private static final Duration QUIET = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<String, MetricEvaluation, Alert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SustainedBreaches(THREE_OF_FIVE, QUIET)),
                SustainedBreachRule::subject,
                Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void aSingleSpikeIsNoSustainedBreach() throws Exception {
        assertThat(run(HIGH, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL)).isEmpty();
    }

    @Test
    void threeBreachesInARowAreOne() throws Exception {
        List<Alert> alerts = run(NORMAL, HIGH, HIGH, HIGH);

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.alertType).isEqualTo("sustained_breach");
            assertThat(alert.alertRuleId).isEqualTo("sustained.cpu_usage_percent");
            assertThat(alert.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(alert.serviceName).isEqualTo("checkout");
            assertThat(alert.operationName).isEqualTo("place_order");
            assertThat(alert.traceId).as("about the operation, not one span").isNull();
            assertThat(alert.startedAt).isEqualTo(at(1));
            assertThat(alert.windowStart).isEqualTo(at(1));
            assertThat(alert.evaluationTimestamp).isEqualTo(at(3));
            assertThat(alert.thresholdValue).isEqualTo(LIMIT);
            assertThat(alert.actualValue).isEqualTo(HIGH);
            assertThat(alert.alertId).isEqualTo(Alert.idOf(
                    "sustained_breach", "checkout/place_order", "sustained.cpu_usage_percent", at(1)));
            assertThat(alert.alertMessage).startsWith("cpu_usage_percent above its limit in 3 of 3 consecutive");
        });
    }

    @Test
    void threeBreachesAmongFiveConsecutiveEvaluationsAreOne() throws Exception {
        assertThat(run(HIGH, NORMAL, HIGH, NORMAL, HIGH)).singleElement()
                .satisfies(alert -> assertThat(alert.alertMessage).contains("in 3 of 5 consecutive"));
    }

    @Test
    void threeBreachesSpreadOverSixEvaluationsAreNone() throws Exception {
        assertThat(run(HIGH, NORMAL, NORMAL, HIGH, NORMAL, HIGH)).isEmpty();
    }

    @Test
    void furtherMatchesWhileTheIncidentIsOpenAreDropped() throws Exception {
        assertThat(run(HIGH, HIGH, HIGH, HIGH, HIGH, HIGH, HIGH)).singleElement();
    }

    @Test
    void threeBreachesInARowSpreadOverMoreThanTheTimeLimitAreNone() throws Exception {
        send(evaluation(T0.toEpochMilli(), HIGH));
        send(evaluation(T0.plus(Duration.ofMinutes(3)).toEpochMilli(), HIGH));
        send(evaluation(T0.plus(Duration.ofMinutes(5)).plusMillis(1).toEpochMilli(), HIGH));
        harness.processWatermark(T0.plus(Duration.ofMinutes(20)).toEpochMilli());

        assertThat(alerts()).isEmpty();
    }

    @Test
    void evaluationsArrivingOutOfOrderWithinTheWatermarkAreCountedInEventTimeOrder() throws Exception {
        // event-time order: HIGH HIGH NORMAL NORMAL NORMAL HIGH: no 3 of 5; arrival order would have 3 in a row
        send(evaluation(at(0), HIGH));
        send(evaluation(at(1), HIGH));
        send(evaluation(at(5), HIGH));
        send(evaluation(at(2), NORMAL));
        send(evaluation(at(3), NORMAL));
        send(evaluation(at(4), NORMAL));
        harness.processWatermark(at(10));

        assertThat(alerts()).isEmpty();
    }

    @Test
    void mMinusNPlusOneEvaluationsInsideTheLimitResolveTheIncidentAndNothingIsLeft() throws Exception {
        List<Alert> alerts = run(HIGH, HIGH, HIGH, NORMAL, NORMAL, HIGH, NORMAL, NORMAL, NORMAL);

        assertThat(alerts).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        Alert resolved = alerts.get(1);
        assertThat(resolved.alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(resolved.resolution).isEqualTo(AlertResolution.RECOVERED);
        assertThat(resolved.evaluationTimestamp).isEqualTo(at(8));
        assertThat(resolved.windowEnd).isEqualTo(at(8));
        assertThat(resolved.actualValue).isEqualTo(NORMAL);
        assertThat(resolved.alertMessage).contains("back within its limit in 3 consecutive evaluations");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void noStateIsLeftOnceNoRecentBreachCanStartAMatch() throws Exception {
        run(HIGH, NORMAL);
        assertThat(harness.numKeyedStateEntries()).as("the breach can still start a match").isEqualTo(1);

        send(evaluation(T0.plus(Duration.ofMinutes(6)).toEpochMilli(), NORMAL));
        harness.processWatermark(T0.plus(Duration.ofMinutes(6)).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anOpenIncidentWhoseEvaluationsStopEndsWhenItsSubjectIsQuietAndNothingIsLeft() throws Exception {
        List<Alert> alerts = run(HIGH, HIGH, HIGH);
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.evaluationResult).isEqualTo(AlertState.TRIGGERED));
        long quietAt = at(2) + QUIET.toMillis();

        harness.processWatermark(quietAt - 1);
        assertThat(alerts()).as("not quiet yet").hasSize(1);
        assertThat(harness.numEventTimeTimers()).as("its one housekeeping timer").isEqualTo(1);

        harness.processWatermark(quietAt);
        assertThat(alerts()).hasSize(2);
        Alert ended = alerts().get(1);
        assertThat(ended.alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(ended.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(ended.resolution).isEqualTo(AlertResolution.IDLE_EXPIRED);
        assertThat(ended.evaluationTimestamp).isEqualTo(quietAt);
        assertThat(ended.alertMessage).startsWith("no evaluation of cpu_usage_percent of checkout place_order for 1h");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anEvaluationBeforeTheQuietTimeKeepsTheIncidentOpen() throws Exception {
        run(HIGH, HIGH, HIGH);
        long lastAt = at(2) + QUIET.toMillis() - 1;
        send(evaluation(lastAt, HIGH));
        harness.processWatermark(lastAt + QUIET.toMillis() - 1);

        assertThat(alerts()).as("still open").singleElement();
        assertThat(harness.numEventTimeTimers()).as("the housekeeping timer, set again").isEqualTo(1);

        harness.processWatermark(lastAt + QUIET.toMillis());
        assertThat(alerts()).last().satisfies(ended -> {
            assertThat(ended.resolution).isEqualTo(AlertResolution.IDLE_EXPIRED);
            assertThat(ended.evaluationTimestamp).isEqualTo(lastAt + QUIET.toMillis());
        });
    }

    @Test
    void theEndOfTheInputEndsAnOpenIncidentAsOfItsQuietTime() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(evaluation(at(i), HIGH));
        }
        // a bounded input's last watermark: the timers of the evaluations fire with it, the quiet time is after them
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(alerts()).extracting(a -> a.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(alerts().get(1).resolution).isEqualTo(AlertResolution.IDLE_EXPIRED);
        assertThat(alerts().get(1).evaluationTimestamp).isEqualTo(at(2) + QUIET.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRecentBreachOfAQuietSubjectIsForgotten() throws Exception {
        run(HIGH);
        assertThat(harness.numKeyedStateEntries()).as("the breach can still start a match").isEqualTo(1);

        harness.processWatermark(at(0) + QUIET.toMillis());

        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsItsRecentEvaluationsAsAPojo() {
        assertSerializedAsPojoWithoutKryo(SustainedBreachRule.Recent.class);
        assertSerializedAsPojoWithoutKryo(MetricEvaluation.class);
    }

    private List<Alert> run(double... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            send(evaluation(at(i), values[i]));
        }
        harness.processWatermark(at(values.length + 1));
        return alerts();
    }

    private void send(StreamRecord<MetricEvaluation> evaluation) throws Exception {
        harness.processElement(evaluation);
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    private static long at(int step) {
        return T0.plus(STEP.multipliedBy(step)).toEpochMilli();
    }

    private static StreamRecord<MetricEvaluation> evaluation(long at, double value) {
        MetricEvaluation evaluation = new MetricEvaluation();
        evaluation.serviceName = "checkout";
        evaluation.operationName = "place_order";
        evaluation.metric = "cpu_usage_percent";
        evaluation.value = value;
        evaluation.limit = LIMIT;
        evaluation.breached = value > LIMIT;
        evaluation.eventTime = at;
        evaluation.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        evaluation.spanId = String.format("%016x", at);
        return new StreamRecord<>(evaluation, at);
    }
}
