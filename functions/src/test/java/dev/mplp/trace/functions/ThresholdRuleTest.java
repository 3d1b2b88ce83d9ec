package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.records.types.CompactStrings;
import dev.mplp.trace.testing.SideOutputs;
import dev.mplp.trace.testing.SpanSessionHarness;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code threshold_breach} as the span session evaluates it, on the one per-span state and housekeeping timer. */
class ThresholdRuleTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String OTHER_SPAN = "b7ad6b7169203331";
    private static final String SERVICE = "mplp-workflow-service";
    private static final String OPERATION = "workflow_execution";

    private static final double CPU_LIMIT = 80;
    private static final double HYSTERESIS = 0.1;
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final Duration INACTIVITY = Duration.ofHours(1);

    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant SPIKE = STARTED.plusSeconds(10);
    private static final Instant STILL_HIGH = STARTED.plusSeconds(20);
    private static final Instant CALMER = STARTED.plusSeconds(30);
    private static final Instant CALM = STARTED.plusSeconds(40);
    private static final Instant COMPLETED = STARTED.plusSeconds(60);
    private static final Instant LATE_AFTER_COMPLETION = COMPLETED.plusSeconds(5);
    private static final Instant CLEANUP_DUE = COMPLETED.plus(LATENESS);

    private static final TraceAnalyticsConfig.Detection DETECTION = new TraceAnalyticsConfig.Detection(
            new TraceAnalyticsConfig.DetectionThresholds(
                    new TraceAnalyticsConfig.ThresholdDefaults(10_000, CPU_LIMIT, 2048, 5, 2000, 100, 1), HYSTERESIS),
            new TraceAnalyticsConfig.SpanLifetime(LATENESS, INACTIVITY),
            ConfigLoader.defaults().detection().windows(),
            ConfigLoader.defaults().detection().baseline(),
            ConfigLoader.defaults().detection().incidents());
    /** A span without a completion is incomplete 2 x 10 s after its start (at {@link #STILL_HIGH}). */
    private static final IncompleteSpanRule INCOMPLETE = new IncompleteSpanRule(
            10_000, new TraceAnalyticsConfig.IncompleteSpan(2.0, Duration.ofMinutes(10)), INACTIVITY);

    private final TraceEvents span = TraceEvents.span(TRACE, SPAN).in(SERVICE, OPERATION);

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = SpanSessionHarness.open(
                new SpanSession(DETECTION.span(), INCOMPLETE, new ThresholdRule(DETECTION)));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void aSingleSpikeTriggersOnceAndItsRecoveryResolvesTheSameIncident() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(CALM, m -> m.cpuUsagePercent = 50.0));

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(2);
        Alert triggered = alerts.get(0);
        assertThat(triggered.evaluationResult).isEqualTo(AlertState.TRIGGERED);
        assertThat(triggered.alertType).isEqualTo("threshold_breach");
        assertThat(triggered.alertRuleId).isEqualTo("threshold.cpu_usage_percent");
        assertThat(triggered.metric).isEqualTo("cpu_usage_percent");
        assertThat(triggered.severity).isEqualTo(Severity.CRITICAL);
        assertThat(triggered.traceId).isEqualTo(TRACE);
        assertThat(triggered.spanId).isEqualTo(SPAN);
        assertThat(triggered.serviceName).isEqualTo(SERVICE);
        assertThat(triggered.operationName).isEqualTo(OPERATION);
        assertThat(triggered.thresholdValue).isEqualTo(CPU_LIMIT);
        assertThat(triggered.actualValue).isEqualTo(95.0);
        assertThat(triggered.evaluationTimestamp).isEqualTo(SPIKE.toEpochMilli());
        assertThat(triggered.startedAt).isEqualTo(SPIKE.toEpochMilli());
        assertThat(triggered.resolution).isNull();
        assertThat(triggered.alertRuleName).isEqualTo("CPU usage threshold");
        assertThat(triggered.deviationPercent).isEqualTo(18.75);
        assertThat(triggered.recommendedActions).isNotEmpty();
        assertThat(triggered.baselineValue).isNull();
        assertThat(triggered.windowStart).isNull();
        assertThat(triggered.alertMessage).contains("cpu_usage_percent 95 is above the threshold 80", SPAN, SERVICE);
        assertThat(triggered.alertId)
                .hasSize(32)
                .isEqualTo(Alert.idOf(
                        "threshold_breach", TRACE + "/" + SPAN, "threshold.cpu_usage_percent", SPIKE.toEpochMilli()));

        Alert resolved = alerts.get(1);
        assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.resolution).isEqualTo(AlertResolution.RECOVERED);
        assertThat(resolved.alertId).isEqualTo(triggered.alertId);
        assertThat(resolved.actualValue).isEqualTo(50.0);
        assertThat(resolved.evaluationTimestamp).isEqualTo(CALM.toEpochMilli());
        assertThat(resolved.startedAt).isEqualTo(SPIKE.toEpochMilli());
        assertThat(resolved.alertMessage).contains("back within the threshold 80");
    }

    @Test
    void furtherBreachingMessagesStayInTheOneIncident() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(STILL_HIGH, m -> m.cpuUsagePercent = 99.0));
        send(metrics(CALMER, m -> m.cpuUsagePercent = 85.0));

        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(alert.actualValue).isEqualTo(95.0);
        });
    }

    @Test
    void aValueInsideTheLimitButWithinTheHysteresisMarginDoesNotResolve() throws Exception {
        double resolvesAtOrBelow = CPU_LIMIT * (1 - HYSTERESIS); // 72
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(STILL_HIGH, m -> m.cpuUsagePercent = 75.0));
        assertThat(alerts()).extracting(a -> a.evaluationResult).containsExactly(AlertState.TRIGGERED);

        send(update(CALMER, m -> m.cpuUsagePercent = 81.0)); // above the limit again: the same incident
        send(update(CALM, m -> m.cpuUsagePercent = resolvesAtOrBelow));

        assertThat(alerts()).extracting(a -> a.evaluationResult).containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(alerts().get(1).actualValue).isEqualTo(resolvesAtOrBelow);
    }

    @Test
    void theTracesOwnThresholdOverridesTheDefaultAndTheOthersKeepTheirDefaults() throws Exception {
        send(start(STARTED, t -> t.cpuUsagePercent = 90.0));
        send(update(SPIKE, m -> m.cpuUsagePercent = 85.0));
        assertThat(alerts()).isEmpty();

        send(update(STILL_HIGH, m -> {
            m.cpuUsagePercent = 95.0;
            m.memoryUsageMb = 3000.0;
        }));

        assertThat(alerts())
                .extracting(a -> a.alertRuleId, a -> a.thresholdValue)
                .containsExactly(
                        tuple("threshold.cpu_usage_percent", 90.0),
                        tuple("threshold.memory_usage_mb", 2048.0));
    }

    @Test
    void anUpdateReleasedBeforeItsStartIsEvaluatedWithTheDefaultsAndTheStartAppliesFromThenOn() throws Exception {
        send(update(SPIKE, m -> m.cpuUsagePercent = 85.0));

        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.thresholdValue).isEqualTo(CPU_LIMIT);
            assertThat(alert.serviceName).isNull();
            assertThat(alert.operationName).isNull();
        });

        // a start stamped after the update (its collector's clock ahead) that arrives once the update is released
        send(start(STILL_HIGH, t -> {
            t.cpuUsagePercent = 90.0;
            t.memoryUsageMb = 4096.0;
        }));
        // 80 would stay open under the default (resolves at 72) but resolves under the trace's 90 (at 81)
        send(update(CALM, m -> {
            m.cpuUsagePercent = 80.0;
            m.memoryUsageMb = 3000.0;
        }));

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(2);
        Alert resolved = alerts.get(1);
        assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.alertRuleId).isEqualTo("threshold.cpu_usage_percent");
        assertThat(resolved.thresholdValue).isEqualTo(90.0);
        assertThat(resolved.serviceName).as("the incident's names: the alert lifecycle resolves what it opened")
                .isNull();
        assertThat(resolved.alertId).isEqualTo(alerts.get(0).alertId);
    }

    @Test
    void theCompletionIsEvaluatedThenResolvesEveryOpenIncident() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(completion(COMPLETED, m -> {
            m.durationMs = 12_000.0;
            m.cpuUsagePercent = 97.0;
        }));

        List<Alert> alerts = alerts();
        assertThat(alerts)
                .extracting(a -> a.evaluationResult + " " + a.alertRuleId)
                .containsExactly(
                        "TRIGGERED threshold.cpu_usage_percent",
                        "TRIGGERED threshold.duration_ms",
                        "RESOLVED threshold.duration_ms",
                        "RESOLVED threshold.cpu_usage_percent");
        assertThat(alerts.subList(2, 4)).allSatisfy(alert -> {
            assertThat(alert.resolution).isEqualTo(AlertResolution.SPAN_COMPLETED);
            assertThat(alert.evaluationTimestamp).isEqualTo(COMPLETED.toEpochMilli());
            assertThat(alert.alertMessage).startsWith("span completed");
        });
        assertThat(alerts.get(3).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(3).actualValue).isEqualTo(97.0);
        assertThat(alerts.get(2).alertId).isEqualTo(alerts.get(1).alertId);
        assertThat(alerts.get(2).startedAt).isEqualTo(COMPLETED.toEpochMilli());
    }

    @Test
    void theCompletionResolvesAgainAnIncidentThatRecoveredDuringTheSpanAndNotOneThatTriggeredAgain() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(STILL_HIGH, m -> m.memoryUsageMb = 4096.0));
        send(update(CALMER, m -> {
            m.cpuUsagePercent = 50.0;
            m.memoryUsageMb = 1024.0;
        }));
        send(update(CALM, m -> m.memoryUsageMb = 4096.0));
        send(completion(COMPLETED, m -> {}));

        List<Alert> alerts = alerts();
        assertThat(alerts)
                .extracting(a -> a.evaluationResult + " " + a.resolution + " " + a.alertRuleId)
                .containsExactly(
                        "TRIGGERED null threshold.cpu_usage_percent",
                        "TRIGGERED null threshold.memory_usage_mb",
                        "RESOLVED RECOVERED threshold.cpu_usage_percent",
                        "RESOLVED RECOVERED threshold.memory_usage_mb",
                        "TRIGGERED null threshold.memory_usage_mb",
                        "RESOLVED SPAN_COMPLETED threshold.memory_usage_mb",
                        "RESOLVED SPAN_COMPLETED threshold.cpu_usage_percent");
        Alert ended = alerts.get(6);
        assertThat(ended.alertId).as("the recovered incident's").isEqualTo(alerts.get(0).alertId);
        assertThat(ended.evaluationTimestamp).isEqualTo(COMPLETED.toEpochMilli());
        Alert recovery = alerts.get(2);
        assertThat(ended.alertMessage)
                .isEqualTo("span completed after the incident recovered: " + recovery.alertMessage);
        // the span keeps a little of each incident and makes the rest again: every other field is the recovery's
        assertThat(ended).usingRecursiveComparison()
                .ignoringFields("resolution", "evaluationTimestamp", "alertMessage")
                .isEqualTo(recovery);
        assertThat(alerts.get(5).alertId).as("the memory incident open at the completion")
                .isEqualTo(alerts.get(4).alertId);
        assertThat(alerts.get(5)).as("its resolution: the trigger's identity, names, rule and actions")
                .usingRecursiveComparison()
                .ignoringFields("evaluationResult", "resolution", "evaluationTimestamp", "alertMessage",
                        "actualValue", "thresholdValue", "deviationPercent")
                .isEqualTo(alerts.get(4));
    }

    @Test
    void incidentsKeptWholeInASavepointOfAnEarlierReleaseEndAsIfKeptNow() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(STILL_HIGH, m -> m.memoryUsageMb = 4096.0));
        send(update(CALMER, m -> m.cpuUsagePercent = 50.0));
        List<Alert> alerts = alerts();
        Alert memoryTriggered = alerts.get(1);
        Alert cpuRecovered = alerts.get(2);
        assertThat(cpuRecovered.resolution).isEqualTo(AlertResolution.RECOVERED);
        OperatorSubtaskState keptNow = harness.snapshot(1, 1);
        // what earlier releases kept in the span's state: the whole alerts, as emitted
        SpanSession.OpenSpan open = spanState(harness).value();
        open.thresholdIncidents[ThresholdRule.Limit.MEMORY_USAGE.ordinal()] = memoryTriggered.copy();
        open.recoveredIncidents[ThresholdRule.Limit.CPU_USAGE.ordinal()] = cpuRecovered.copy();
        spanState(harness).update(open);
        OperatorSubtaskState keptWhole = harness.snapshot(2, 2);

        List<Alert> endedNow = completedAfterRestoring(keptNow);
        List<Alert> endedWhole = completedAfterRestoring(keptWhole);

        assertThat(endedNow).extracting(a -> a.resolution + " " + a.alertRuleId).containsExactly(
                "SPAN_COMPLETED threshold.memory_usage_mb", "SPAN_COMPLETED threshold.cpu_usage_percent");
        assertThat(endedWhole).usingRecursiveFieldByFieldElementComparator().isEqualTo(endedNow);
    }

    /** The threshold alerts of the span's completion, in a session restored from {@code snapshot}. */
    private List<Alert> completedAfterRestoring(OperatorSubtaskState snapshot) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                        new SpanSession(DETECTION.span(), INCOMPLETE, new ThresholdRule(DETECTION))),
                        SpanSession::key, Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            SpanSessionHarness.sendAndRelease(restored, completion(COMPLETED, m -> {}));
            return thresholdAlerts(restored);
        }
    }

    /** The session's state of the test's span, read and written as the session does. */
    private static ValueState<SpanSession.OpenSpan> spanState(
            KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness) throws Exception {
        KeyedStateBackend<String> backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(SpanSession.key(TRACE, SPAN));
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("span", CompactStrings.pojo(SpanSession.OpenSpan.class)));
    }

    @Test
    void throughputIsALowSideLimit() throws Exception {
        send(start(STARTED));
        send(metrics(SPIKE, m -> m.throughputOpsPerSec = 150.0));
        send(metrics(STILL_HIGH, m -> m.throughputOpsPerSec = 40.0));
        send(metrics(CALMER, m -> m.throughputOpsPerSec = 105.0)); // inside, but not by the 10% margin
        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.alertRuleId).isEqualTo("target.min_throughput_ops_per_sec");
            assertThat(alert.metric).isEqualTo("throughput_ops_per_sec");
            assertThat(alert.severity).isEqualTo(Severity.WARNING);
            assertThat(alert.alertMessage).contains("40 is below the target 100");
        });

        send(metrics(CALM, m -> m.throughputOpsPerSec = 110.0));

        assertThat(alerts()).extracting(a -> a.evaluationResult).containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
    }

    @Test
    void theErrorRateTargetWarnsAndItsAlertThresholdIsACriticalIncidentOfItsOwn() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.errorRatePercent = 3.0));
        send(update(STILL_HIGH, m -> m.errorRatePercent = 6.0));
        send(update(CALM, m -> m.errorRatePercent = 0.5));

        assertThat(alerts())
                .extracting(a -> a.evaluationResult + " " + a.alertRuleId + " " + a.severity)
                .containsExactly(
                        "TRIGGERED target.max_error_rate_percent WARNING",
                        "TRIGGERED threshold.error_rate_percent CRITICAL",
                        "RESOLVED threshold.error_rate_percent CRITICAL",
                        "RESOLVED target.max_error_rate_percent WARNING");
    }

    @Test
    void differentMetricsAreSeparateIncidents() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> {
            m.cpuUsagePercent = 95.0;
            m.memoryUsageMb = 3000.0;
        }));
        send(update(CALM, m -> {
            m.cpuUsagePercent = 50.0;
            m.memoryUsageMb = 3100.0;
        }));
        send(update(CALM.plusSeconds(1), m -> m.durationMs = 500.0)); // reports neither: both stay as they are

        List<Alert> alerts = alerts();
        assertThat(alerts)
                .extracting(a -> a.evaluationResult + " " + a.metric)
                .containsExactly("TRIGGERED cpu_usage_percent", "TRIGGERED memory_usage_mb", "RESOLVED cpu_usage_percent");
        assertThat(alerts.get(0).alertId).isNotEqualTo(alerts.get(1).alertId).isEqualTo(alerts.get(2).alertId);
    }

    @Test
    void differentSpansAreSeparateIncidents() throws Exception {
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(at(OTHER_SPAN, update(STILL_HIGH, m -> m.cpuUsagePercent = 95.0)));
        send(update(CALM, m -> m.cpuUsagePercent = 50.0));

        assertThat(alerts())
                .extracting(a -> a.evaluationResult + " " + a.spanId)
                .containsExactly("TRIGGERED " + SPAN, "TRIGGERED " + OTHER_SPAN, "RESOLVED " + SPAN);
    }

    @Test
    void aCompletedSpanIgnoresLateMessagesAndIsForgottenOnceTheLatenessHasPassed() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(completion(COMPLETED, m -> m.durationMs = 1_000.0));
        assertThat(alerts()).hasSize(2);

        send(update(LATE_AFTER_COMPLETION, m -> m.cpuUsagePercent = 99.0));
        assertThat(alerts()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).as("the housekeeping timer").isEqualTo(1);

        harness.processWatermark(CLEANUP_DUE.toEpochMilli() - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(CLEANUP_DUE.toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(alerts()).hasSize(2);
    }

    @Test
    void aSpanThatFallsSilentExpiresResolvingItsIncidentsAndLeavesNoState() throws Exception {
        Instant expiry = STILL_HIGH.plus(INACTIVITY);
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));
        send(update(STILL_HIGH, m -> m.memoryUsageMb = 100.0)); // moves the expiry on
        assertThat(harness.numEventTimeTimers()).as("the housekeeping timer").isEqualTo(1);

        harness.processWatermark(SPIKE.plus(INACTIVITY).toEpochMilli());
        harness.processWatermark(expiry.toEpochMilli() - 1);
        assertThat(alerts()).hasSize(1);

        harness.processWatermark(expiry.toEpochMilli());

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(2);
        Alert resolved = alerts.get(1);
        assertThat(resolved.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.resolution).isEqualTo(AlertResolution.SPAN_EXPIRED);
        assertThat(resolved.alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(resolved.evaluationTimestamp).isEqualTo(expiry.toEpochMilli());
        assertThat(resolved.actualValue).isEqualTo(95.0);
        assertThat(resolved.alertMessage).startsWith("span expired after 1h");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void eachWatchedValueOfANamedMessageIsEvaluatedAgainstTheSpansOwnLimitElseTheDefault() throws Exception {
        send(start(STARTED, t -> t.cpuUsagePercent = 50.0));
        send(update(SPIKE, m -> {
            m.cpuUsagePercent = 60.0;
            m.memoryUsageMb = 100.0;
            m.durationMs = 99_999.0;
        }));

        assertThat(evaluations())
                .extracting(e -> e.metric, e -> e.value, e -> e.limit, e -> e.breached, e -> e.serviceName)
                .containsExactly(
                        tuple("cpu_usage_percent", 60.0, 50.0, true, SERVICE),
                        tuple("memory_usage_mb", 100.0, 2048.0, false, SERVICE));
    }

    @Test
    void messagesOfASpanWhoseStartIsNeitherReleasedNorWaitingAreNotEvaluated() throws Exception {
        send(metrics(SPIKE, m -> m.cpuUsagePercent = 99.0));

        assertThat(evaluations()).isEmpty();
    }

    @Test
    void afterTheCompletionTheDefaultsApply() throws Exception {
        send(start(STARTED, t -> t.cpuUsagePercent = 50.0));
        send(completion(COMPLETED, m -> {}));
        send(metrics(LATE_AFTER_COMPLETION, m -> m.cpuUsagePercent = 60.0));

        assertThat(evaluations()).singleElement().satisfies(e -> {
            assertThat(e.limit).isEqualTo(CPU_LIMIT);
            assertThat(e.breached).isFalse();
        });
    }

    @Test
    void keepsTheOpenIncidentsInTheSpanAsAPojo() throws Exception {
        send(start(STARTED));
        send(update(SPIKE, m -> m.cpuUsagePercent = 95.0));

        assertSerializedAsPojoWithoutKryo(SpanSession.OpenSpan.class);
        assertThat(harness.numKeyedStateEntries()).as("the span, its incident in it").isEqualTo(1);
    }

    private void send(TraceEvent event) throws Exception {
        SpanSessionHarness.sendAndRelease(harness, event);
    }

    private List<MetricEvaluation> evaluations() {
        return SideOutputs.of(harness, SpanSession.EVALUATIONS);
    }

    /** The session's {@code threshold_breach} alerts so far. */
    private List<Alert> alerts() {
        return thresholdAlerts(harness);
    }

    private static List<Alert> thresholdAlerts(
            KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness) {
        return SideOutputs.of(harness, SpanSession.ALERTS).stream()
                .filter(alert -> ThresholdRule.ALERT_TYPE.equals(alert.alertType))
                .toList();
    }

    private TraceEvent start(Instant at) {
        return span.start(at).event;
    }

    /** A start at {@code at} giving the limits the consumer sets (the others are left to the defaults). */
    private TraceEvent start(Instant at, Consumer<Thresholds> limits) {
        return span.start(at, limits).event;
    }

    private TraceEvent update(Instant at, Consumer<Measurements> values) {
        return span.update(at, values).event;
    }

    private TraceEvent metrics(Instant at, Consumer<Measurements> values) {
        return span.metrics(at, values).event;
    }

    private TraceEvent completion(Instant at, Consumer<Measurements> values) {
        return span.completion(at, values).event;
    }

    private static TraceEvent at(String spanId, TraceEvent event) {
        event.spanId = spanId;
        return event;
    }
}
