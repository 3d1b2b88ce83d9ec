package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.baseline.Assessment;
import dev.mplp.trace.functions.baseline.BaselineSettings;
import dev.mplp.trace.functions.baseline.MetricModel;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.Severity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by (service, operation) ({@link #key}), over the RED summaries of {@link RedWindowSummary} in window order:
 * keeps a rolling baseline per {@link Metric} (latency p95, error rate, throughput) and reports a window that is
 * clearly worse than it as a {@code performance_degradation} incident: one {@link AlertState#TRIGGERED} alert when
 * it starts, one {@link AlertState#RESOLVED} alert with the same {@code alertId} when it ends.
 *
 * <p><b>Outputs.</b> The main output is every window, passed on with its {@code baseline*} fields set to the
 * baseline mean it was compared with (null for a metric that was not compared: baseline still warming up, or too few
 * spans); the alerts go to the side output {@link #ALERTS}.
 *
 * <p><b>Baseline.</b> Per metric, a {@link MetricModel}: the values of the last {@code history-windows} windows,
 * and what they make normal (the recent level, a short period found by autocorrelation, the same hour of the
 * previous day; see there). A window deviates when it is worse (latency or error rate higher, throughput lower) than
 * all of them by the band of {@code min-relative-change}, {@code min-z-score} robust standard deviations and, for
 * the error rate, {@code min-error-rate-increase} percentage points. No window is compared before the model has
 * learned {@code warm-up-windows} windows.
 *
 * <p><b>Incidents.</b> One window far outside the band ({@link dev.mplp.trace.functions.baseline.Assessment#extreme})
 * triggers an incident at once; a milder deviation must last {@code min-degraded-windows} consecutive windows (a
 * p95 of a few dozen spans is noisy). The band's edge is the alert's {@code thresholdValue}. An incident resolves
 * ({@link AlertResolution#WITHIN_BASELINE}) with the first window inside the band. Windows of an open incident are
 * not learned, so a degradation never becomes its own baseline; but one that lasts {@code new-normal-after} is a
 * lasting change of level: it resolves as {@link AlertResolution#NEW_NORMAL}, and the model learns its windows as
 * the new normal (forgetting the older ones). Severity is {@link Severity#CRITICAL} for an extreme window or a
 * relative change of at least {@code critical-factor} times {@code min-relative-change}, else
 * {@link Severity#WARNING}, fixed when triggered. {@code confidence} is the standard normal CDF of the z-score.
 *
 * <p><b>Volume.</b> Latency and error rate are learned and compared only in windows with at least
 * {@code min-span-count} spans (a p95 of five spans is noise). A throughput drop is reported only where the baseline
 * expects at least {@code min-span-count} spans per window.
 *
 * <p><b>Empty windows.</b> The window operator emits nothing for a window without spans, yet throughput falling to
 * zero is a degradation. {@link EmptyOperationWindows}, in front of this function, sends them, up to where the
 * event time of the whole input has gone and not past the idle timeout; only the last of a stretch, so a window
 * after a gap first has the gap's empty windows (span count 0, throughput 0, no latency or error rate) evaluated
 * and passed on like any other. What is evaluated is thus decided by the input alone, never by which watermark
 * happened to come before the end of the input, nor by the execution mode. A window not after the last evaluated
 * one is ignored (counted in {@code degradationWindowsIgnored}).
 *
 * <p><b>Idle keys.</b> When {@code detection.baseline.idle-timeout} of event time has passed since the end of the
 * last window with spans, or the input ends before that (the watermark jumps to the end of time: the silence after
 * the end of a file is no throughput drop), the key is forgotten: its open incidents resolve as
 * {@link AlertResolution#IDLE_EXPIRED} at the end of its last window with spans plus the idle timeout, and its state
 * and its one timer (at that instant) are cleared. If it comes back, it warms up again.
 *
 * <p><b>Times.</b> An alert's {@code evaluationTimestamp} is the end of the window evaluated (the idle timeout's end
 * for an expiry); an incident's {@code startedAt} is the end of the window that triggered it, and its id is
 * {@link Alert#idOf}({@value #ALERT_TYPE}, service/operation, rule id, startedAt). Only event time is used, so a
 * replay finds the same alerts.

 */
public class DegradationDetector extends KeyedProcessFunction<String, ServiceWindow, ServiceWindow> {

    /** The {@code alertType} of every alert of this detector. */
    public static final String ALERT_TYPE = "performance_degradation";

    /** The side output with the alerts. */
    public static final OutputTag<Alert> ALERTS =
            new OutputTag<>("performance-degradation-alerts", TypeInformation.of(Alert.class));

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final long windowMillis;
    private final BaselineSettings settings;
    private final long minSpanCount;
    private final double minRelativeChange;
    private final double minErrorRateIncrease;
    private final double criticalFactor;
    private final int minDegradedWindows;
    private final int newNormalWindows;
    private final long idleTimeoutMillis;

    private transient ValueState<OperationBaseline> baseline;
    private transient Counter triggered;
    private transient Counter resolved;
    private transient Counter ignored;

    public DegradationDetector(TraceAnalyticsConfig.Detection detection) {
        TraceAnalyticsConfig.DetectionBaseline settings = detection.baseline();
        this.windowMillis = detection.windows().size().toMillis();
        this.settings = BaselineSettings.of(detection);
        this.minSpanCount = settings.minSpanCount();
        this.minRelativeChange = settings.minRelativeChange();
        this.minErrorRateIncrease = settings.minErrorRateIncrease();
        this.criticalFactor = settings.criticalFactor();
        this.minDegradedWindows = settings.minDegradedWindows();
        this.newNormalWindows = (int) Math.max(1, -Math.floorDiv(-settings.newNormalAfter().toMillis(), windowMillis));
        this.idleTimeoutMillis = settings.idleTimeout().toMillis();
    }

    /** The key this function expects, the same as the RED windows': use as {@code keyBy(DegradationDetector::key)}. */
    public static String key(ServiceWindow window) {
        return RedWindowAggregate.key(window.serviceName, window.operationName);
    }

    @Override
    public void open(OpenContext openContext) {
        baseline = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("operation-baseline", OperationBaseline.class));
        triggered = getRuntimeContext().getMetricGroup().counter("degradationAlertsTriggered");
        resolved = getRuntimeContext().getMetricGroup().counter("degradationAlertsResolved");
        ignored = getRuntimeContext().getMetricGroup().counter("degradationWindowsIgnored");
    }

    @Override
    public void processElement(ServiceWindow window, Context ctx, Collector<ServiceWindow> out) throws Exception {
        if (!ServiceWindow.KIND_OPERATION.equals(window.kind)) {
            ignored.inc();
            return;
        }
        OperationBaseline state = baseline.value();
        if (state != null) {
            if (window.windowEnd <= state.lastWindowEnd) {
                ignored.inc();
                return;
            }
            ctx.timerService().deleteEventTimeTimer(idleDue(state));
            state = evaluateEmptyWindowsUntil(state, window.windowStart, ctx, out);
        }
        if (state == null) {
            state = OperationBaseline.of(window);
        }
        evaluate(state, window, ctx, out);
        state.lastWindowEnd = window.windowEnd;
        if (window.spanCount > 0 || state.lastActiveWindowEnd == Long.MIN_VALUE) {
            state.lastActiveWindowEnd = window.windowEnd;
        }
        baseline.update(state);
        ctx.timerService().registerEventTimeTimer(idleDue(state));
    }

    /** The key has been idle for the timeout, or the input ended: its empty windows have all come before. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceWindow> out) throws Exception {
        OperationBaseline state = baseline.value();
        if (state == null) {
            return;
        }
        expire(state, state.lastActiveWindowEnd + idleTimeoutMillis, ctx);
        baseline.clear();
    }

    /** The last timestamp before the key counts as idle. */
    private long idleDue(OperationBaseline state) {
        return state.lastActiveWindowEnd + idleTimeoutMillis - 1;
    }

    /**
     * Evaluates the empty windows after the last one up to {@code until} (exclusive end), or forgets the key when it
     * has been idle for the timeout. Returns the state, or null when the key was forgotten.
     */
    private OperationBaseline evaluateEmptyWindowsUntil(
            OperationBaseline state, long until, Context ctx, Collector<ServiceWindow> out) {
        while (state.lastWindowEnd + windowMillis <= until) {
            long end = state.lastWindowEnd + windowMillis;
            if (end - state.lastActiveWindowEnd >= idleTimeoutMillis) {
                expire(state, state.lastActiveWindowEnd + idleTimeoutMillis, ctx);
                return null;
            }
            evaluate(state, EmptyOperationWindows.emptyWindow(
                    state.serviceName, state.operationName, end - windowMillis, end), ctx, out);
            state.lastWindowEnd = end;
        }
        return state;
    }

    /** Compares each metric of {@code window} with its baseline, learns the normal ones, and passes it on. */
    private void evaluate(OperationBaseline state, ServiceWindow window, Context ctx, Collector<ServiceWindow> out) {
        for (Metric metric : Metric.values()) {
            Double value = metric.value.apply(window);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            if (metric != Metric.THROUGHPUT && window.spanCount < minSpanCount) {
                continue;
            }
            MetricBaseline tracked = metric.of(state);
            if (tracked.model == null) {
                tracked.model = MetricModel.of(settings);
            }
            Assessment assessment = tracked.model.assess(value, window.windowStart, metric.higherIsWorse,
                    metric == Metric.ERROR_RATE ? minErrorRateIncrease : 0, settings);
            if (assessment == null) {
                tracked.model.record(value, true);
                continue;
            }
            metric.baselineField.accept(window, assessment.baseline());
            boolean degraded = assessment.deviating()
                    && (metric != Metric.THROUGHPUT || assessment.baseline() * windowMillis / 1000.0 >= minSpanCount);
            if (!degraded) {
                if (tracked.incident != null) {
                    resolved.inc();
                    ctx.output(ALERTS, resolve(tracked.incident, AlertResolution.WITHIN_BASELINE, metric, window,
                            value, assessment));
                    tracked.incident = null;
                } else {
                    // a deviation too short for an incident was normal after all (a bursty series' bursts)
                    tracked.model.learnLatest(tracked.degradedWindows);
                }
                tracked.degradedWindows = 0;
                tracked.model.record(value, true);
                continue;
            }
            tracked.degradedWindows++;
            if (tracked.incident != null) {
                tracked.incident.actualValue = value;
            } else if (assessment.extreme() || tracked.degradedWindows >= minDegradedWindows) {
                tracked.incident = trigger(metric, window, value, assessment);
                triggered.inc();
                ctx.output(ALERTS, tracked.incident.copy());
            }
            tracked.model.record(value, false);
            if (tracked.incident != null && tracked.degradedWindows >= newNormalWindows) {
                resolved.inc();
                ctx.output(ALERTS, resolve(tracked.incident, AlertResolution.NEW_NORMAL, metric, window, value,
                        assessment));
                tracked.model.acceptLatest(tracked.degradedWindows);
                tracked.incident = null;
                tracked.degradedWindows = 0;
            }
        }
        out.collect(window);
    }

    private Alert trigger(Metric metric, ServiceWindow window, double value, Assessment assessment) {
        double baselineValue = assessment.baseline();
        double relative = baselineValue == 0
                ? Double.POSITIVE_INFINITY
                : Math.abs(value - baselineValue) / Math.abs(baselineValue);
        Alert alert = new Alert();
        alert.alertType = ALERT_TYPE;
        alert.alertRuleId = metric.ruleId();
        alert.alertRuleName = metric.ruleName;
        alert.alertId = Alert.idOf(
                ALERT_TYPE, window.serviceName + "/" + window.operationName, alert.alertRuleId, window.windowEnd);
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.severity = assessment.extreme() || relative >= criticalFactor * minRelativeChange
                ? Severity.CRITICAL
                : Severity.WARNING;
        alert.serviceName = window.serviceName;
        alert.operationName = window.operationName;
        alert.metric = metric.metric;
        alert.confidence = round(STANDARD_NORMAL.cumulativeProbability(assessment.zScore()), 4);
        alert.startedAt = window.windowEnd;
        alert.recommendedActions = metric.recommendedActions.clone();
        describe(alert, window, value, assessment);
        alert.alertMessage = metric.metric + " " + number(value) + " is " + change(value, baselineValue)
                + " its baseline " + number(baselineValue) + " (" + assessment.pattern() + ", z-score "
                + number(assessment.zScore()) + ") on " + where(alert, window);
        return alert;
    }

    private static Alert resolve(
            Alert open, AlertResolution resolution, Metric metric, ServiceWindow window, double value,
            Assessment assessment) {
        Alert alert = open.copy();
        alert.evaluationResult = AlertState.RESOLVED;
        alert.resolution = resolution;
        describe(alert, window, value, assessment);
        alert.alertMessage = resolution == AlertResolution.NEW_NORMAL
                ? metric.metric + " " + number(value) + " has stayed away from its baseline "
                        + number(assessment.baseline()) + ": taken as the new normal on " + where(alert, window)
                : metric.metric + " " + number(value) + " is back within the band of its baseline "
                        + number(assessment.baseline()) + " on " + where(alert, window);
        return alert;
    }

    private static void describe(Alert alert, ServiceWindow window, double value, Assessment assessment) {
        double baselineValue = assessment.baseline();
        alert.actualValue = value;
        alert.baselineValue = baselineValue;
        alert.thresholdValue = assessment.edge();
        alert.deviationPercent = baselineValue == 0 ? null : round((value - baselineValue) / baselineValue * 100, 2);
        alert.windowStart = window.windowStart;
        alert.windowEnd = window.windowEnd;
        alert.evaluationTimestamp = window.windowEnd;
    }

    /** Forgets an idle key: resolves its open incidents as of {@code at}. */
    private void expire(OperationBaseline state, long at, Context ctx) {
        for (Metric metric : Metric.values()) {
            Alert open = metric.of(state).incident;
            if (open == null) {
                continue;
            }
            Alert alert = open.copy();
            alert.evaluationResult = AlertState.RESOLVED;
            alert.resolution = AlertResolution.IDLE_EXPIRED;
            alert.evaluationTimestamp = at;
            alert.windowStart = state.lastActiveWindowEnd;
            alert.windowEnd = at;
            alert.alertMessage = "no span for " + text(Duration.ofMillis(idleTimeoutMillis)) + " on " + state.serviceName
                    + " " + state.operationName + ", ending the incident (last " + metric.metric + " "
                    + number(open.actualValue) + " against its baseline " + number(open.baselineValue) + ")";
            resolved.inc();
            ctx.output(ALERTS, alert);
        }
    }

    private static String change(double value, double baseline) {
        if (baseline == 0) {
            return "above";
        }
        double percent = Math.abs(value - baseline) / baseline * 100;
        return number(percent) + "% " + (value > baseline ? "above" : "below");
    }

    private static String where(Alert alert, ServiceWindow window) {
        return alert.serviceName + " " + alert.operationName + " in the window from "
                + Instant.ofEpochMilli(window.windowStart) + " to " + Instant.ofEpochMilli(window.windowEnd);
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    /** {@code 2400}, {@code 12.35}: two decimals at most, no trailing zeros, no exponent; {@code ∞} for infinity. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return "∞";
        }
        return BigDecimal.valueOf(round(value, 2)).stripTrailingZeros().toPlainString();
    }

    /** {@code 1h}, {@code 90s}, {@code 1h30m}. */
    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The metrics watched, in the order their alerts are emitted when one window changes several. */
    public enum Metric {
        LATENCY_P95(
                "latency_p95_ms",
                "Latency p95 degradation",
                true,
                new String[] {"Compare with recent deployments of this service", "Check the downstream dependencies"},
                w -> w.latencyP95Ms,
                (w, v) -> w.baselineLatencyP95Ms = v,
                s -> s.latencyP95),
        ERROR_RATE(
                "error_rate_percent",
                "Error rate degradation",
                true,
                new String[] {"Look at the error logs of this operation", "Check recent deployments of this service"},
                w -> w.errorRatePercent,
                (w, v) -> w.baselineErrorRatePercent = v,
                s -> s.errorRate),
        THROUGHPUT(
                "throughput_ops_per_sec",
                "Throughput drop",
                false,
                new String[] {"Check whether traffic still reaches the service", "Check for saturation or throttling"},
                w -> w.throughputOpsPerSec,
                (w, v) -> w.baselineThroughputOpsPerSec = v,
                s -> s.throughput);

        /** The alert's {@code metric}. */
        public final String metric;
        /** The alert's {@code alertRuleName}. */
        public final String ruleName;
        /** True for latency and error rate (up is worse), false for throughput (down is worse). */
        public final boolean higherIsWorse;
        private final String[] recommendedActions;
        private final Function<ServiceWindow, Double> value;
        private final BiConsumer<ServiceWindow, Double> baselineField;
        private final Function<OperationBaseline, MetricBaseline> state;

        Metric(
                String metric,
                String ruleName,
                boolean higherIsWorse,
                String[] recommendedActions,
                Function<ServiceWindow, Double> value,
                BiConsumer<ServiceWindow, Double> baselineField,
                Function<OperationBaseline, MetricBaseline> state) {
            this.metric = metric;
            this.ruleName = ruleName;
            this.higherIsWorse = higherIsWorse;
            this.recommendedActions = recommendedActions;
            this.value = value;
            this.baselineField = baselineField;
            this.state = state;
        }

        /** What {@code operation} keeps of this metric. */
        MetricBaseline of(OperationBaseline operation) {
            return state.apply(operation);
        }

        /** The alert's {@code alertRuleId}: {@code degradation.} and the metric. */
        public String ruleId() {
            return "degradation." + metric;
        }

        boolean worseThan(double value, double baseline) {
            return higherIsWorse ? value > baseline : value < baseline;
        }
    }

    /** Everything the detector keeps of one (service, operation). A Flink POJO. */
    public static class OperationBaseline {
        public String serviceName;
        public String operationName;
        /** End of the last window evaluated (with spans or empty), epoch ms. */
        public long lastWindowEnd;
        /** End of the last window with spans, epoch ms; the idle timeout counts from it. */
        public long lastActiveWindowEnd = Long.MIN_VALUE;
        public MetricBaseline latencyP95 = new MetricBaseline();
        public MetricBaseline errorRate = new MetricBaseline();
        public MetricBaseline throughput = new MetricBaseline();

        public OperationBaseline() {}

        static OperationBaseline of(ServiceWindow first) {
            OperationBaseline state = new OperationBaseline();
            state.serviceName = first.serviceName;
            state.operationName = first.operationName;
            state.lastWindowEnd = first.windowStart;
            return state;
        }
    }

    /** What the detector keeps of one metric of one (service, operation). A Flink POJO. */
    public static class MetricBaseline {
        /** What the metric has learned of its normal; null until its first window. */
        public MetricModel model;
        /** Consecutive windows outside the band, up to now. */
        public int degradedWindows;
        /** The open incident, as triggered (its actual value kept up to date); null when none. */
        public Alert incident;

        public MetricBaseline() {}
    }
}
