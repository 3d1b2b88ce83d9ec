package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by span ({@link SpanSession#key}), over its messages in event-time order: checks every update, completion and metrics message of the span against the limits
 * its start message declared, and reports each breach as one incident: one {@link AlertState#TRIGGERED} alert when
 * a limit is first crossed, nothing while it stays crossed, and one {@link AlertState#RESOLVED} alert, with the same
 * {@code alertId}, when it ends.
 *
 * <p><b>Rules.</b> One per limit of the protocol ({@link Rule}); an incident is per (trace, span, rule). The
 * {@code alert_thresholds} are {@link Severity#CRITICAL}, the {@code performance_targets} {@link Severity#WARNING}.
 * The error rate is watched by two rules, the target {@code max_error_rate_percent} (warning) and the alert
 * threshold {@code error_rate_percent} (critical), each its own incident: a rate above both has both open. An upper
 * limit is breached by a value strictly above it; the throughput target is a lower limit, breached by a value
 * strictly below it. A message that does not report a rule's value leaves that rule's incident as it is.
 *
 * <p><b>Limits.</b> The span's own, from its start message; where the start gives none, or the start has not been
 * seen yet (messages arrive out of order), the configured {@code detection.thresholds.defaults}. A start arriving
 * late applies from the next evaluation on; what was already evaluated stays.
 *
 * <p><b>Hysteresis.</b> An open incident resolves ({@link AlertResolution#RECOVERED}) only when a value is back
 * inside the limit by the hysteresis fraction {@code h}: at or below {@code limit × (1 − h)} for an upper limit, at
 * or above {@code limit × (1 + h)} for the lower one. A value between stays in the incident.
 *
 * <p><b>Completion.</b> The completion's own values are evaluated first, like an update's (they may trigger, and
 * resolve by recovery); then every incident still open, including one the completion just triggered, is resolved as
 * {@link AlertResolution#SPAN_COMPLETED} at the completion's time. So a breach seen only in the completion (a total
 * duration over its limit, typically) is reported as a triggered alert followed at once by its resolution. After
 * the completion the span keeps only its completion time, so that its late messages are recognised and ignored
 * (the completion was the span's last word); that too is cleared once the watermark passes completion time plus
 * {@code detection.span.allowed-lateness}. A message of the span arriving after that is treated as a new span.
 *
 * <p><b>Expiry.</b> A span that sends nothing for {@code detection.span.inactivity-timeout} of event time (after the
 * latest event time it sent) and has not completed is given up: its open incidents are resolved as
 * {@link AlertResolution#SPAN_EXPIRED} at that time and all its state is cleared.
 *
 * <p><b>Times.</b> Messages are evaluated in arrival order; an alert's {@code eventTime} is the event time of the
 * message that changed the state (never earlier than the incident's start, should messages arrive out of order), or
 * the timer's time for an expiry. All timers are event-time timers, so a replay finds the same alerts.
 */
public class ThresholdBreaches extends KeyedProcessFunction<String, TraceEvent, Alert> {

    /** The {@code alertType} of every alert of this detector. */
    public static final String ALERT_TYPE = "threshold_breach";

    private final TraceAnalyticsConfig.ThresholdDefaults defaults;
    private final double hysteresis;
    private final long allowedLatenessMillis;
    private final long inactivityTimeoutMillis;

    /** Service, operation and limits from the span's start message; null until the start is seen. */
    private transient ValueState<SpanStart> spanStart;
    /** The open incidents by rule id, as triggered (actual and threshold value kept up to date). */
    private transient MapState<String, Alert> openIncidents;
    /** The latest event time the span sent, epoch ms; its inactivity timer is due this plus the timeout. */
    private transient ValueState<Long> lastSeen;
    /** The completion's event time once the span completed; the span then holds nothing else. */
    private transient ValueState<Long> completedAt;

    private transient Counter triggered;
    private transient Counter resolved;
    private transient Counter ignoredAfterCompletion;

    public ThresholdBreaches(TraceAnalyticsConfig.Detection detection) {
        this.defaults = detection.thresholds().defaults();
        this.hysteresis = detection.thresholds().hysteresis();
        this.allowedLatenessMillis = detection.span().allowedLateness().toMillis();
        this.inactivityTimeoutMillis = detection.span().inactivityTimeout().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        spanStart = getRuntimeContext().getState(new ValueStateDescriptor<>("span-start", SpanStart.class));
        openIncidents = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("open-incidents", String.class, Alert.class));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Long.class));
        completedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("completed-at", Long.class));
        triggered = getRuntimeContext().getMetricGroup().counter("thresholdAlertsTriggered");
        resolved = getRuntimeContext().getMetricGroup().counter("thresholdAlertsResolved");
        ignoredAfterCompletion = getRuntimeContext().getMetricGroup().counter("messagesAfterSpanCompletion");
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<Alert> out) throws Exception {
        if (completedAt.value() != null) {
            ignoredAfterCompletion.inc();
            return;
        }
        touch(event.eventTime, ctx);
        if (event.messageType == MessageType.START) {
            spanStart.update(SpanStart.of(event));
            return;
        }
        SpanStart start = spanStart.value();
        if (event.measurements != null) {
            evaluate(event, start, out);
        }
        if (event.messageType == MessageType.COMPLETE) {
            resolveAll(AlertResolution.SPAN_COMPLETED, "span completed, ending the incident: ", event.eventTime, start,
                    out);
            ctx.timerService().deleteEventTimeTimer(lastSeen.value() + inactivityTimeoutMillis);
            clearAll();
            completedAt.update(event.eventTime);
            ctx.timerService().registerEventTimeTimer(event.eventTime + allowedLatenessMillis);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Long completed = completedAt.value();
        if (completed != null) {
            if (timestamp >= completed + allowedLatenessMillis) {
                clearAll();
            }
            return;
        }
        Long last = lastSeen.value();
        if (last != null && timestamp >= last + inactivityTimeoutMillis) {
            String reason = "span expired after " + text(Duration.ofMillis(inactivityTimeoutMillis))
                    + " without messages, ending the incident: last ";
            resolveAll(AlertResolution.SPAN_EXPIRED, reason, timestamp, spanStart.value(), out);
            clearAll();
        }
    }

    /** Moves the inactivity timer to the span's latest event time plus the timeout. */
    private void touch(long eventTime, Context ctx) throws Exception {
        Long last = lastSeen.value();
        if (last == null || eventTime > last) {
            if (last != null) {
                ctx.timerService().deleteEventTimeTimer(last + inactivityTimeoutMillis);
            }
            ctx.timerService().registerEventTimeTimer(eventTime + inactivityTimeoutMillis);
            lastSeen.update(eventTime);
        }
    }

    private void evaluate(TraceEvent event, SpanStart start, Collector<Alert> out) throws Exception {
        for (Rule rule : Rule.values()) {
            Double value = rule.value.apply(event.measurements);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            double limit = limit(rule, start);
            Alert open = openIncidents.get(rule.id);
            if (open == null) {
                if (rule.breachedBy(value, limit)) {
                    Alert alert = trigger(rule, event, start, value, limit);
                    openIncidents.put(rule.id, alert);
                    triggered.inc();
                    out.collect(alert.copy());
                }
            } else if (rule.recoveredBy(value, limit, hysteresis)) {
                openIncidents.remove(rule.id);
                Alert resolution = resolve(open, AlertResolution.RECOVERED, event.eventTime, start, value, limit);
                resolution.alertMessage = rule.metric + " " + number(value) + " is back within the " + rule.limitKind
                        + " " + number(limit) + " (by the hysteresis of " + percent(hysteresis) + ") on "
                        + where(resolution);
                out.collect(resolution);
            } else if (open.actualValue.doubleValue() != value || open.thresholdValue.doubleValue() != limit) {
                open.actualValue = value;
                open.thresholdValue = limit;
                openIncidents.put(rule.id, open);
            }
        }
    }

    /**
     * Resolves every open incident, in rule order, with its last seen value against the limit now in force; the
     * message is {@code reason} followed by that value and limit.
     */
    private void resolveAll(AlertResolution why, String reason, long at, SpanStart start, Collector<Alert> out)
            throws Exception {
        for (Rule rule : Rule.values()) {
            Alert open = openIncidents.get(rule.id);
            if (open != null) {
                double limit = limit(rule, start);
                Alert resolution = resolve(open, why, at, start, open.actualValue, limit);
                resolution.alertMessage = reason + rule.metric + " " + number(open.actualValue) + " against the "
                        + rule.limitKind + " " + number(limit) + " on " + where(resolution);
                out.collect(resolution);
            }
        }
        openIncidents.clear();
    }

    private void clearAll() {
        spanStart.clear();
        openIncidents.clear();
        lastSeen.clear();
        completedAt.clear();
    }

    private double limit(Rule rule, SpanStart start) {
        Double own = start == null || start.thresholds == null ? null : rule.ownLimit.apply(start.thresholds);
        return own != null ? own : rule.defaultLimit.applyAsDouble(defaults);
    }

    private static Alert trigger(Rule rule, TraceEvent event, SpanStart start, double value, double limit) {
        Alert alert = new Alert();
        alert.alertId = Alert.idOf(ALERT_TYPE, SpanSession.key(event), rule.id, event.eventTime);
        alert.alertType = ALERT_TYPE;
        alert.alertRuleId = rule.id;
        alert.alertRuleName = rule.ruleName;
        alert.recommendedActions = rule.recommendedActions.clone();
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.severity = rule.severity;
        alert.traceId = event.traceId;
        alert.spanId = event.spanId;
        // before its start is released a span's message carries the start's names if the session had them
        alert.serviceName = event.serviceName;
        alert.operationName = event.operationName;
        describe(alert, start);
        alert.metric = rule.metric;
        alert.thresholdValue = limit;
        alert.actualValue = value;
        alert.deviationPercent = deviationPercent(value, limit);
        alert.evaluationTimestamp = event.eventTime;
        alert.startedAt = event.eventTime;
        alert.alertMessage = rule.metric + " " + number(value) + " is " + rule.side() + " the " + rule.limitKind + " "
                + number(limit) + " on " + where(alert);
        return alert;
    }

    /** The resolution of {@code open}, its message left to the caller. */
    private Alert resolve(Alert open, AlertResolution why, long at, SpanStart start, double value, double limit) {
        Alert alert = open.copy();
        alert.evaluationResult = AlertState.RESOLVED;
        alert.resolution = why;
        describe(alert, start);
        alert.actualValue = value;
        alert.thresholdValue = limit;
        alert.deviationPercent = deviationPercent(value, limit);
        alert.evaluationTimestamp = Math.max(at, open.startedAt);
        resolved.inc();
        return alert;
    }

    private static void describe(Alert alert, SpanStart start) {
        if (start != null) {
            alert.serviceName = start.serviceName;
            alert.operationName = start.operationName;
        }
    }

    private static String where(Alert alert) {
        String span = "span " + alert.spanId + " of trace " + alert.traceId;
        if (alert.serviceName == null) {
            return span;
        }
        return span + " (" + alert.serviceName + (alert.operationName == null ? "" : " " + alert.operationName) + ")";
    }

    /** How far {@code value} is from {@code limit}, in percent of the limit, to two decimals; null for a zero limit. */
    static Double deviationPercent(double value, double limit) {
        if (limit == 0) {
            return null;
        }
        return Math.round((value - limit) / Math.abs(limit) * 10_000) / 100.0;
    }

    /** {@code 80}, {@code 92.5}: no trailing zeros, no exponent. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code 0.15} as {@code 15%}. */
    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** {@code 1h}, {@code 90s}, {@code 1h30m}. */
    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The limits checked, in the order their alerts are emitted when one message changes several. */
    public enum Rule {
        DURATION("Span duration threshold", new String[] {"Look at the slowest child spans of this trace", "Check the downstream dependencies it waits on"},
                "threshold.duration_ms", "duration_ms", Severity.CRITICAL, false,
                m -> m.durationMs, t -> t.durationMs, TraceAnalyticsConfig.ThresholdDefaults::durationMs),
        CPU_USAGE("CPU usage threshold", new String[] {"Check the CPU of the hosts running this service", "Scale the service out or raise its CPU limit"},
                "threshold.cpu_usage_percent", "cpu_usage_percent", Severity.CRITICAL, false,
                m -> m.cpuUsagePercent, t -> t.cpuUsagePercent,
                TraceAnalyticsConfig.ThresholdDefaults::cpuUsagePercent),
        MEMORY_USAGE("Memory usage threshold", new String[] {"Check the service for a memory leak", "Raise its memory limit or scale it out"},
                "threshold.memory_usage_mb", "memory_usage_mb", Severity.CRITICAL, false,
                m -> m.memoryUsageMb, t -> t.memoryUsageMb, TraceAnalyticsConfig.ThresholdDefaults::memoryUsageMb),
        ERROR_RATE("Error rate threshold", new String[] {"Look at the error logs of this span", "Check recent deployments of this service"},
                "threshold.error_rate_percent", "error_rate_percent", Severity.CRITICAL, false,
                m -> m.errorRatePercent, t -> t.errorRatePercent,
                TraceAnalyticsConfig.ThresholdDefaults::errorRatePercent),
        LATENCY_P95_TARGET("Latency p95 target", new String[] {"Look at the slowest operations of this service", "Check the downstream dependencies"},
                "target.max_latency_p95_ms", "latency_p95_ms", Severity.WARNING, false,
                m -> m.latencyP95Ms, t -> t.maxLatencyP95Ms, TraceAnalyticsConfig.ThresholdDefaults::maxLatencyP95Ms),
        THROUGHPUT_TARGET("Throughput target", new String[] {"Check whether traffic reaches the service", "Check for saturation or throttling"},
                "target.min_throughput_ops_per_sec", "throughput_ops_per_sec", Severity.WARNING, true,
                m -> m.throughputOpsPerSec, t -> t.minThroughputOpsPerSec,
                TraceAnalyticsConfig.ThresholdDefaults::minThroughputOpsPerSec),
        ERROR_RATE_TARGET("Error rate target", new String[] {"Look at the error logs of this span", "Check recent deployments of this service"},
                "target.max_error_rate_percent", "error_rate_percent", Severity.WARNING, false,
                m -> m.errorRatePercent, t -> t.maxErrorRatePercent,
                TraceAnalyticsConfig.ThresholdDefaults::maxErrorRatePercent);

        /** The alert's {@code ruleId}: {@code threshold.} + the alert_thresholds name, or {@code target.} + the
         * performance_targets name. */
        public final String id;
        /** The alert's {@code alertRuleName}. */
        public final String ruleName;
        private final String[] recommendedActions;
        /** The alert's {@code metric}: the snake_case name of the measured value. */
        public final String metric;
        public final Severity severity;
        /** True for a minimum (a value below it breaches), false for a maximum. */
        public final boolean lowerLimit;
        private final String limitKind;
        private final Function<Measurements, Double> value;
        private final Function<Thresholds, Double> ownLimit;
        private final ToDoubleFunction<TraceAnalyticsConfig.ThresholdDefaults> defaultLimit;

        Rule(
                String ruleName,
                String[] recommendedActions,
                String id,
                String metric,
                Severity severity,
                boolean lowerLimit,
                Function<Measurements, Double> value,
                Function<Thresholds, Double> ownLimit,
                ToDoubleFunction<TraceAnalyticsConfig.ThresholdDefaults> defaultLimit) {
            this.ruleName = ruleName;
            this.recommendedActions = recommendedActions;
            this.id = id;
            this.metric = metric;
            this.severity = severity;
            this.lowerLimit = lowerLimit;
            this.limitKind = id.startsWith("target.") ? "target" : "threshold";
            this.value = value;
            this.ownLimit = ownLimit;
            this.defaultLimit = defaultLimit;
        }

        boolean breachedBy(double value, double limit) {
            return lowerLimit ? value < limit : value > limit;
        }

        /** Compared to within a relative 1e-12, so that 110 counts as 100 × (1 + 0.1) despite binary rounding. */
        boolean recoveredBy(double value, double limit, double hysteresis) {
            double bound = lowerLimit ? limit * (1 + hysteresis) : limit * (1 - hysteresis);
            double rounding = Math.abs(bound) * 1e-12;
            return lowerLimit ? value >= bound - rounding : value <= bound + rounding;
        }

        String side() {
            return lowerLimit ? "below" : "above";
        }
    }

    /** What the detector keeps of a span's start message. A Flink POJO. */
    public static class SpanStart {
        public String serviceName;
        public String operationName;
        /** The trace's own limits; a null field falls back to the configured default. */
        public Thresholds thresholds;

        public SpanStart() {}

        static SpanStart of(TraceEvent start) {
            SpanStart span = new SpanStart();
            span.serviceName = start.serviceName;
            span.operationName = start.operationName;
            span.thresholds = start.thresholds;
            return span;
        }
    }
}
