package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Exemplar;
import dev.mplp.trace.records.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Incidents per (service, operation, rule) from per-span breaches, with the defaults: a 5-minute window evaluated
 * at the end of every minute, 5 % of the spans and at least 5 of them, 3 exemplars.
 */
class BreachIncidentsTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final String SERVICE = "checkout";
    private static final String OPERATION = "charge";
    private static final String DURATION_RULE = "threshold.duration_ms";
    private static final long MINUTE = 60_000;
    private static final TraceAnalyticsConfig.Detection DETECTION = ConfigLoader.load(
                    null, Map.of("detection.incidents.trace-url", "https://jaeger.example/trace/{trace_id}"))
            .detection();

    @Test
    void enoughSpansOverTheirLimitOpenOneIncidentWithTheWorstAsExemplarsAndItResolvesOnceTheyAreGone()
            throws Exception {
        try (var harness = harness()) {
            // minute 0: 40 spans, 6 of them over their 1000 ms limit (15 %)
            spans(harness, 40, 0);
            for (int i = 0; i < 6; i++) {
                breach(harness, "trace-" + i, at(10_000 + i * 1000), 1100 + 100 * i, 1000);
            }
            // minute 1: more of the same; they renew the open incident without a second one
            spans(harness, 40, MINUTE);
            breach(harness, "trace-late", at(MINUTE + 5_000), 5000, 1000);
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(at(2 * MINUTE)));

            List<Alert> sent = alerts(harness);
            assertThat(sent).hasSize(1);
            Alert incident = sent.get(0);
            assertThat(incident.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(incident.alertType).isEqualTo(ThresholdRule.ALERT_TYPE);
            assertThat(incident.alertRuleId).isEqualTo(DURATION_RULE);
            assertThat(incident.severity).isEqualTo(Severity.CRITICAL);
            assertThat(incident.serviceName + "/" + incident.operationName).isEqualTo(SERVICE + "/" + OPERATION);
            assertThat(incident.traceId).isNull();
            assertThat(incident.spanId).isNull();
            assertThat(incident.breachingSpans).isEqualTo(6);
            assertThat(incident.spanCount).isEqualTo(40);
            assertThat(incident.breachShare).isEqualTo(0.15);
            assertThat(incident.windowStart).isEqualTo(at(MINUTE) - 5 * MINUTE);
            assertThat(incident.windowEnd).isEqualTo(at(MINUTE));
            assertThat(incident.evaluationTimestamp).isEqualTo(at(MINUTE));
            assertThat(incident.startedAt).as("its earliest breach").isEqualTo(at(10_000));
            assertThat(incident.alertId).isEqualTo(Alert.idOf(
                    ThresholdRule.ALERT_TYPE, SERVICE + "/" + OPERATION, DURATION_RULE, at(10_000)));
            assertThat(incident.actualValue).as("the worst value").isEqualTo(1600.0);
            assertThat(incident.thresholdValue).isEqualTo(1000.0);
            assertThat(incident.exemplars).extracting(e -> e.traceId)
                    .as("the three furthest past their limit")
                    .containsExactly("trace-5", "trace-4", "trace-3");
            assertThat(incident.exemplars[0].traceUrl).isEqualTo("https://jaeger.example/trace/trace-5");
            assertThat(incident.alertMessage).contains("6 of 40 spans (15 %)");

            // no more breaches: the window slides past the last one at minute 1 + 5
            spans(harness, 40, 2 * MINUTE);
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            List<Alert> all = alerts(harness);
            assertThat(all).hasSize(2);
            Alert resolved = all.get(1);
            assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
            assertThat(resolved.resolution).isEqualTo(AlertResolution.RECOVERED);
            assertThat(resolved.alertId).isEqualTo(incident.alertId);
            assertThat(resolved.evaluationTimestamp)
                    .as("the first window without enough breaches: 1 of 80 spans")
                    .isEqualTo(at(6 * MINUTE));
            assertThat(resolved.actualValue).as("the worst value of the whole incident").isEqualTo(5000.0);
            assertThat(resolved.exemplars[0].traceId).isEqualTo("trace-late");
            assertThat(harness.numKeyedStateEntries()).as("nothing left").isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anIncidentStartsAtTheFirstBreachOfTheWindowThatTippedItNotAtAStrayOneBefore() throws Exception {
        try (var harness = harness()) {
            spans(harness, 40, -3 * MINUTE);
            breach(harness, "stray", at(-3 * MINUTE + 5_000), 1200, 1000);
            spans(harness, 40, 0);
            for (int i = 0; i < 6; i++) {
                breach(harness, "fault-" + i, at(20_000 + i), 3000, 1000);
            }
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            Alert incident = alerts(harness).get(0);
            assertThat(incident.breachingSpans).as("the stray breach counts").isEqualTo(7);
            assertThat(incident.startedAt).isEqualTo(at(20_000));
            assertThat(incident.alertId).isEqualTo(Alert.idOf(
                    ThresholdRule.ALERT_TYPE, SERVICE + "/" + OPERATION, DURATION_RULE, at(20_000)));
        }
    }

    @Test
    void tooFewBreachingSpansOrTooSmallAShareOpenNothing() throws Exception {
        try (var harness = harness()) {
            // 4 of 10 spans breach: 40 %, but fewer than 5 spans
            spans(harness, 10, 0);
            for (int i = 0; i < 4; i++) {
                breach(harness, "few-" + i, at(1000 + i), 2000, 1000);
            }
            // 6 of 200 spans a while later: 6 spans, but 3 %
            spans(harness, 200, 10 * MINUTE);
            for (int i = 0; i < 6; i++) {
                breach(harness, "rare-" + i, at(10 * MINUTE + 1000 + i), 2000, 1000);
            }
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            assertThat(alerts(harness)).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aScopedShareOfTheOperationAndRuleRaisesTheBarForThemOnly() throws Exception {
        // 6 of 40 spans (15 %) breach the duration rule: an incident with the defaults (see above)
        TraceAnalyticsConfig.Detection scoped = ConfigLoader.load(null, Map.of(
                        "detection.incidents.scoped",
                        "[{service: " + SERVICE + ", operation: \"~ch.*\", rule: " + DURATION_RULE
                                + ", min-share: 0.2}]"))
                .detection();
        TraceAnalyticsConfig.Detection otherRule = ConfigLoader.load(null, Map.of(
                        "detection.incidents.scoped", "[{rule: target.max_latency_p95_ms, min-share: 0.2}]"))
                .detection();
        for (TraceAnalyticsConfig.Detection detection : List.of(scoped, otherRule)) {
            try (var harness = harness(detection)) {
                spans(harness, 40, 0);
                for (int i = 0; i < 6; i++) {
                    breach(harness, "trace-" + i, at(10_000 + i * 1000), 1500, 1000);
                }
                harness.processBothWatermarks(
                        new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
                assertThat(alerts(harness)).as("with %s", detection.incidents().scoped())
                        .hasSize(detection == scoped ? 0 : 2);
                assertThat(harness.numKeyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void anOpenSustainedBreachHoldsTheIncidentOfItsMetricsRuleUntilItRecovers() throws Exception {
        try (var harness = harness()) {
            spans(harness, 100, 0);
            Alert sustained = sustained(AlertState.TRIGGERED, at(30_000));
            sustained.startedAt = at(20_000);
            harness.processElement1(new StreamRecord<>(sustained, at(30_000)));
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(at(MINUTE)));
            harness.processElement1(new StreamRecord<>(sustained(AlertState.RESOLVED, at(3 * MINUTE)), at(3 * MINUTE)));
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            List<Alert> sent = alerts(harness);
            assertThat(sent).extracting(a -> a.evaluationResult)
                    .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
            assertThat(sent).extracting(a -> a.alertRuleId).containsOnly("threshold.cpu_usage_percent");
            assertThat(sent.get(0).startedAt).isEqualTo(at(20_000));
            assertThat(sent.get(0).evaluationTimestamp).isEqualTo(at(MINUTE));
            assertThat(sent.get(1).evaluationTimestamp).isEqualTo(at(4 * MINUTE));
            assertThat(sent.get(1).alertId).isEqualTo(sent.get(0).alertId);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anIncidentHeldByASustainedBreachThatEndedQuietEndsAsIdleExpired() throws Exception {
        try (var harness = harness()) {
            spans(harness, 100, 0);
            harness.processElement1(new StreamRecord<>(sustained(AlertState.TRIGGERED, at(30_000)), at(30_000)));
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(at(MINUTE)));
            Alert quiet = sustained(AlertState.RESOLVED, at(61 * MINUTE));
            quiet.resolution = AlertResolution.IDLE_EXPIRED;
            quiet.alertMessage = "no evaluation of cpu_usage_percent of checkout place_order for 1h since the last";
            harness.processElement1(new StreamRecord<>(quiet, quiet.evaluationTimestamp));
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            List<Alert> sent = alerts(harness);
            assertThat(sent).extracting(a -> a.evaluationResult)
                    .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
            Alert ended = sent.get(1);
            assertThat(ended.alertId).isEqualTo(sent.get(0).alertId);
            assertThat(ended.resolution).isEqualTo(AlertResolution.IDLE_EXPIRED);
            assertThat(ended.evaluationTimestamp).isEqualTo(at(62 * MINUTE));
            assertThat(ended.alertMessage).startsWith(quiet.alertMessage + "; 0 of 0 spans");
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void theSameInputsGiveTheSameIncidentsWhetherTheyComeStepByStepOrAllBeforeTheWatermark() throws Exception {
        List<Alert> stepByStep;
        try (var harness = harness()) {
            for (int minute = 0; minute < 8; minute++) {
                minute(harness, minute);
                harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(
                        at((minute + 1) * MINUTE - 1)));
            }
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
            stepByStep = alerts(harness);
        }
        List<Alert> allAtOnce;
        try (var harness = harness()) {
            for (int minute = 7; minute >= 0; minute--) {
                minute(harness, minute);
            }
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
            allAtOnce = alerts(harness);
        }
        assertThat(stepByStep).extracting(a -> a.evaluationResult)
                .as("the burst of minutes 2 and 3 is one incident")
                .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(allAtOnce).isEqualTo(stepByStep);
    }

    @Test
    void itsStateIsMadeOfPojos() {
        assertSerializedAsPojoWithoutKryo(BreachIncidents.RuleBreaches.class);
        assertSerializedAsPojoWithoutKryo(Exemplar.class);
    }

    /** 50 spans a minute; in minutes 2 and 3 ten of them breach. */
    private static void minute(KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> harness,
            int minute) throws Exception {
        spans(harness, 50, minute * MINUTE);
        if (minute == 2 || minute == 3) {
            for (int i = 0; i < 10; i++) {
                breach(harness, "m" + minute + "-" + i, at(minute * MINUTE + 1000 * i), 1500 + i, 1000);
            }
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> harness()
            throws Exception {
        return harness(DETECTION);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> harness(
            TraceAnalyticsConfig.Detection detection) throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new BreachIncidents(detection)),
                BreachIncidents::key,
                RedWindowAggregate::key,
                Types.STRING);
        harness.open();
        return harness;
    }

    private static void spans(KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> harness,
            int count, long offset) throws Exception {
        for (int i = 0; i < count; i++) {
            CompletedSpan span = new CompletedSpan();
            span.traceId = "span-" + offset + "-" + i;
            span.spanId = "s";
            span.serviceName = SERVICE;
            span.operationName = OPERATION;
            span.endTime = at(offset + 100 + i);
            harness.processElement2(new StreamRecord<>(span, span.endTime));
        }
    }

    private static void breach(KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> harness,
            String traceId, long at, double value, double limit) throws Exception {
        Alert breach = new Alert();
        breach.alertType = ThresholdRule.ALERT_TYPE;
        breach.alertRuleId = DURATION_RULE;
        breach.alertRuleName = "Span duration threshold";
        breach.alertId = Alert.idOf(breach.alertType, traceId + "/s", DURATION_RULE, at);
        breach.evaluationResult = AlertState.TRIGGERED;
        breach.severity = Severity.CRITICAL;
        breach.serviceName = SERVICE;
        breach.operationName = OPERATION;
        breach.traceId = traceId;
        breach.spanId = "s";
        breach.metric = "duration_ms";
        breach.actualValue = value;
        breach.thresholdValue = limit;
        breach.evaluationTimestamp = at;
        breach.startedAt = at;
        harness.processElement1(new StreamRecord<>(breach, at));
        // its resolution is evidence of nothing: not counted
        Alert resolved = breach.copy();
        resolved.evaluationResult = AlertState.RESOLVED;
        harness.processElement1(new StreamRecord<>(resolved, at));
    }

    private static Alert sustained(AlertState state, long at) {
        Alert alert = new Alert();
        alert.alertType = BreachIncidents.SUSTAINED_TYPE;
        alert.alertRuleId = "sustained.cpu_usage_percent";
        alert.alertId = Alert.idOf(alert.alertType, SERVICE + "/" + OPERATION, alert.alertRuleId, at(20_000));
        alert.evaluationResult = state;
        alert.serviceName = SERVICE;
        alert.operationName = OPERATION;
        alert.metric = "cpu_usage_percent";
        alert.thresholdValue = 80.0;
        alert.actualValue = 97.0;
        alert.evaluationTimestamp = at;
        alert.startedAt = at(20_000);
        alert.alertMessage = "cpu_usage_percent above its limit in 3 of 5 consecutive evaluations";
        return alert;
    }

    private static List<Alert> alerts(KeyedTwoInputStreamOperatorTestHarness<String, Alert, CompletedSpan, Alert> h) {
        List<Alert> alerts = new ArrayList<>();
        for (Object record : h.getOutput()) {
            if (record instanceof StreamRecord<?> alert) {
                alerts.add((Alert) alert.getValue());
            }
        }
        return alerts;
    }

    private static long at(long offsetMillis) {
        return T0.toEpochMilli() + offsetMillis;
    }
}
