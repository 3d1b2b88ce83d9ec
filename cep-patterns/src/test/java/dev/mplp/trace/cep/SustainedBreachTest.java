package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SustainedBreachTest {

    private static final TraceAnalyticsConfig.SustainedBreach THREE_OF_FIVE =
            new TraceAnalyticsConfig.SustainedBreach(3, 5, Duration.ofMinutes(5));
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final double LIMIT = 80;
    private static final double HIGH = 95;
    private static final double NORMAL = 40;
    private static final Duration STEP = Duration.ofSeconds(30);

    @Test
    void aSingleSpikeIsNoSustainedBreach() throws Exception {
        assertThat(breaches(HIGH, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL)).isEmpty();
    }

    @Test
    void threeBreachesInARowAreOne() throws Exception {
        List<Alert> alerts = breaches(NORMAL, HIGH, HIGH, HIGH);

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.alertType).isEqualTo("sustained_breach");
            assertThat(alert.alertRuleId).isEqualTo("sustained.cpu_usage_percent");
            assertThat(alert.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(alert.serviceName).isEqualTo("checkout");
            assertThat(alert.operationName).isEqualTo("place_order");
            assertThat(alert.startedAt).isEqualTo(at(1));
            assertThat(alert.evaluationTimestamp).isEqualTo(at(3));
            assertThat(alert.thresholdValue).isEqualTo(LIMIT);
            assertThat(alert.actualValue).isEqualTo(HIGH);
        });
    }

    @Test
    void threeBreachesAmongFiveConsecutiveEvaluationsAreOne() throws Exception {
        assertThat(breaches(HIGH, NORMAL, HIGH, NORMAL, HIGH)).hasSize(1);
    }

    @Test
    void threeBreachesSpreadOverSixEvaluationsAreNone() throws Exception {
        assertThat(breaches(HIGH, NORMAL, NORMAL, HIGH, NORMAL, HIGH)).isEmpty();
    }

    @Test
    void threeBreachesInARowSpreadOverMoreThanTheTimeLimitAreNone() throws Exception {
        try (var harness = breachHarness()) {
            harness.processElement(evaluation(T0.toEpochMilli(), HIGH));
            harness.processElement(evaluation(T0.plus(Duration.ofMinutes(3)).toEpochMilli(), HIGH));
            harness.processElement(evaluation(T0.plus(Duration.ofMinutes(5)).plusMillis(1).toEpochMilli(), HIGH));
            harness.processWatermark(T0.plus(Duration.ofMinutes(20)).toEpochMilli());

            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void evaluationsArrivingOutOfOrderWithinTheWatermarkAreMatchedInEventTimeOrder() throws Exception {
        try (var harness = breachHarness()) {
            // event-time order: HIGH HIGH NORMAL NORMAL NORMAL HIGH: no 3 of 5; arrival order would have 3 in a row
            harness.processElement(evaluation(at(0), HIGH));
            harness.processElement(evaluation(at(1), HIGH));
            harness.processElement(evaluation(at(5), HIGH));
            harness.processElement(evaluation(at(2), NORMAL));
            harness.processElement(evaluation(at(3), NORMAL));
            harness.processElement(evaluation(at(4), NORMAL));
            harness.processWatermark(at(10));

            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void noPatternStateIsLeftAfterAMatchAndAfterPartialMatchesExpire() throws Exception {
        try (var harness = breachHarness()) {
            for (int i = 0; i < 4; i++) {
                harness.processElement(evaluation(at(i), HIGH));
            }
            harness.processWatermark(at(4));
            assertThat(harness.extractOutputValues()).hasSize(1);

            harness.processWatermark(T0.plus(Duration.ofMinutes(30)).toEpochMilli());

            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void evaluationsInsideTheLimitResolveOnlyWhenNoNOfMCanRemain() throws Exception {
        // M − N + 1 = 3 consecutive evaluations inside the limit
        assertThat(recoveries(NORMAL, NORMAL, HIGH, NORMAL, NORMAL)).isEmpty();
        assertThat(recoveries(HIGH, NORMAL, NORMAL, NORMAL))
                .singleElement()
                .satisfies(signal -> {
                    assertThat(signal.evaluationResult).isEqualTo(AlertState.RESOLVED);
                    assertThat(signal.alertId).isNull();
                    assertThat(signal.evaluationTimestamp).isEqualTo(at(3));
                    assertThat(IncidentTracker.subjectOf(signal))
                            .isEqualTo("sustained_breach|checkout|place_order|cpu_usage_percent|null|null");
                });
    }

    private static List<Alert> breaches(double... values) throws Exception {
        try (var harness = breachHarness()) {
            return run(harness, values);
        }
    }

    private static List<Alert> recoveries(double... values) throws Exception {
        try (var harness = CepHarness.of(
                MetricEvaluation.class,
                MetricEvaluation::subject,
                SustainedBreach.recoveryPattern(THREE_OF_FIVE),
                new SustainedBreach.RecoverySignals(THREE_OF_FIVE))) {
            return run(harness, values);
        }
    }

    private static List<Alert> run(KeyedOneInputStreamOperatorTestHarness<String, MetricEvaluation, Alert> harness,
            double... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            harness.processElement(evaluation(at(i), values[i]));
        }
        harness.processWatermark(at(values.length + 1));
        return harness.extractOutputValues();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricEvaluation, Alert> breachHarness()
            throws Exception {
        return CepHarness.of(
                MetricEvaluation.class,
                MetricEvaluation::subject,
                SustainedBreach.breachPattern(THREE_OF_FIVE),
                new SustainedBreach.BreachAlerts(THREE_OF_FIVE));
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
