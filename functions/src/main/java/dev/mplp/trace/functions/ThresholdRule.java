package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code threshold_breach}: every update, metrics message and completion of a span checked against the limits its
 * start declared, each breach one incident: one {@link AlertState#TRIGGERED} alert when a limit is first crossed,
 * nothing while it stays crossed, and one {@link AlertState#RESOLVED} alert, with the same {@code alertId} and the
 * same names, when it ends. Holds no state: {@link SpanSession} keeps the span's open incidents
 * ({@link SpanSession.OpenSpan#thresholdIncidents}) and calls this as it releases the span's messages in event-time
 * order, at the completion and when the span expires.
 *
 * <p><b>Limits.</b> One rule per limit of the protocol ({@link Limit}); an incident is per (trace, span, limit). The
 * {@code alert_thresholds} are {@link Severity#CRITICAL}, the {@code performance_targets} {@link Severity#WARNING}.
 * The error rate is watched by two limits, the target {@code max_error_rate_percent} (warning) and the alert
 * threshold {@code error_rate_percent} (critical), each its own incident. An upper limit is breached by a value
 * strictly above it; the throughput target is a lower limit, breached by a value strictly below it. A message that
 * does not report a limit's value leaves that limit's incident as it is. The span's own limits come from its start
 * once it is released; before that, and where the start gives none, {@code detection.thresholds.defaults}.
 *
 * <p><b>Hysteresis.</b> An open incident resolves ({@link AlertResolution#RECOVERED}) only when a value is back
 * inside the limit by the hysteresis fraction {@code h}: at or below {@code limit × (1 − h)} for an upper limit, at
 * or above {@code limit × (1 + h)} for the lower one.
 *
 * <p><b>Completion.</b> The completion's own values are evaluated first, like an update's; then every incident still
 * open, including one the completion just triggered, is resolved as {@link AlertResolution#SPAN_COMPLETED} at the
 * completion's time, and each one that recovered during the span is resolved so once more (see {@link #completed}).
 * <b>Expiry.</b> A span that sends nothing for {@code detection.span.inactivity-timeout} of event time without
 * completing has its open incidents resolved as {@link AlertResolution#SPAN_EXPIRED} at that time.
 *
 * <p><b>Names.</b> A resolution keeps the names its incident was triggered with (those of the span's start, released
 * or waiting in the session's buffer), so that the alert lifecycle, keyed by names, resolves the incident it opened.
 */
public class ThresholdRule implements Serializable {

    /** The {@code alertType} of every alert of this rule. */
    public static final String ALERT_TYPE = "threshold_breach";

    private final TraceAnalyticsConfig.ThresholdDefaults defaults;
    private final double hysteresis;
    private final long inactivityTimeoutMillis;

    public ThresholdRule(TraceAnalyticsConfig.Detection detection) {
        this(detection.thresholds().defaults(), detection.thresholds().hysteresis(),
                detection.span().inactivityTimeout());
    }

    public ThresholdRule(TraceAnalyticsConfig.ThresholdDefaults defaults, double hysteresis, Duration inactivity) {
        this.defaults = defaults;
        this.hysteresis = hysteresis;
        this.inactivityTimeoutMillis = inactivity.toMillis();
    }

    /**
     * The limits {@code sustained_breach} watches, each an upper limit: the resource and error limits of the
     * protocol's {@code alert_thresholds} and its latency target. (The span duration only grows and is left to this
     * rule and {@code incomplete_span}; the throughput target is a lower limit on window totals, left to the RED
     * windows.)
     */
    public static final List<Limit> WATCHED = List.of(
            Limit.CPU_USAGE, Limit.MEMORY_USAGE, Limit.ERROR_RATE, Limit.LATENCY_P95_TARGET);

    /**
     * One {@link MetricEvaluation} per {@link #WATCHED} value a named update or metrics message reports, against
     * {@code own} limits (the span's start's), else the configured defaults: the input of {@link SustainedBreaches}.
     */
    public void evaluations(TraceEvent event, Thresholds own, Consumer<MetricEvaluation> out) {
        if (event.serviceName == null || event.measurements == null) {
            return;
        }
        for (Limit watched : WATCHED) {
            Double value = watched.value.apply(event.measurements);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            MetricEvaluation evaluation = new MetricEvaluation();
            evaluation.serviceName = event.serviceName;
            evaluation.operationName = event.operationName;
            evaluation.metric = watched.metric;
            evaluation.value = value;
            evaluation.limit = watched.limit(own, defaults);
            evaluation.breached = value > evaluation.limit;
            evaluation.eventTime = event.eventTime;
            evaluation.traceId = event.traceId;
            evaluation.spanId = event.spanId;
            out.accept(evaluation);
        }
    }

    /** When the span expires: its latest event time plus the inactivity timeout. */
    public long expiresAt(SpanSession.OpenSpan span) {
        return span.lastSeen + inactivityTimeoutMillis;
    }

    /**
     * Checks a released update, metrics message or completion against the span's limits ({@code span}'s start's,
     * once released), changing {@code span}'s open incidents and giving what changed to {@code out}.
     */
    public void evaluate(TraceEvent event, SpanSession.OpenSpan span, Consumer<Alert> out) {
        if (event.measurements == null) {
            return;
        }
        Thresholds own = span.startReleased ? span.thresholds : null;
        for (Limit rule : Limit.values()) {
            Double value = rule.value.apply(event.measurements);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            double limit = rule.limit(own, defaults);
            Alert open = span.thresholdIncident(rule);
            if (open == null) {
                if (rule.breachedBy(value, limit)) {
                    // the start's names once it is released; before that those the session gave the message from
                    // its buffer
                    Alert alert = trigger(rule, span,
                            span.startReleased ? span.startServiceName : event.serviceName,
                            span.startReleased ? span.startOperationName : event.operationName,
                            event.eventTime, value, limit);
                    span.thresholdIncident(rule, kept(alert));
                    span.recoveredIncident(rule, null);
                    out.accept(alert);
                }
            } else if (rule.recoveredBy(value, limit, hysteresis)) {
                span.thresholdIncident(rule, null);
                Alert resolution = recovered(rule, span, open, event.eventTime, value, limit);
                span.recoveredIncident(rule, kept(resolution));
                out.accept(resolution);
            } else {
                open.actualValue = value;
                open.thresholdValue = limit;
            }
        }
    }

    /**
     * Resolves every open incident of a span that completed at {@code at}; then resolves again, as completed, each
     * incident that recovered during the span: a repeat that changes no incident (the alert lifecycle sends none of
     * it) but tells the lifecycle that the span cannot trigger it again, so that it stops watching for a re-trigger.
     */
    public void completed(SpanSession.OpenSpan span, long at, Consumer<Alert> out) {
        resolveAll(span, AlertResolution.SPAN_COMPLETED, "span completed, ending the incident: ", at, out);
        if (span.recoveredIncidents == null) {
            return;
        }
        for (Limit rule : Limit.values()) {
            Alert kept = span.recoveredIncident(rule);
            if (kept != null) {
                Alert ended =
                        recovered(rule, span, kept, kept.evaluationTimestamp, kept.actualValue, kept.thresholdValue);
                ended.resolution = AlertResolution.SPAN_COMPLETED;
                ended.evaluationTimestamp = Math.max(at, ended.evaluationTimestamp);
                ended.alertMessage = "span completed after the incident recovered: " + ended.alertMessage;
                out.accept(ended);
            }
        }
        span.recoveredIncidents = null;
    }

    /** Resolves every open incident of a span that expired, at {@link #expiresAt}. */
    public void expired(SpanSession.OpenSpan span, Consumer<Alert> out) {
        String reason = "span expired after " + AlertTexts.text(Duration.ofMillis(inactivityTimeoutMillis))
                + " without messages, ending the incident: last ";
        resolveAll(span, AlertResolution.SPAN_EXPIRED, reason, expiresAt(span), out);
    }

    /**
     * Resolves every open incident, in limit order, with its last seen value against the limit now in force; the
     * message is {@code reason} followed by that value and limit.
     */
    private void resolveAll(
            SpanSession.OpenSpan span, AlertResolution why, String reason, long at, Consumer<Alert> out) {
        if (span.thresholdIncidents == null) {
            return;
        }
        Thresholds own = span.startReleased ? span.thresholds : null;
        for (Limit rule : Limit.values()) {
            Alert kept = span.thresholdIncident(rule);
            if (kept != null) {
                double limit = rule.limit(own, defaults);
                Alert resolution = resolved(rule, span, kept, why, at, kept.actualValue, limit);
                resolution.alertMessage = reason + rule.metric + " " + AlertTexts.number(kept.actualValue)
                        + " against the " + rule.limitKind + " " + AlertTexts.number(limit) + " on "
                        + where(resolution);
                out.accept(resolution);
            }
        }
        span.thresholdIncidents = null;
    }

    /** The incident of {@code rule} on {@code span} as triggered at {@code at} by {@code value}. */
    private static Alert trigger(Limit rule, SpanSession.OpenSpan span, String serviceName, String operationName,
            long at, double value, double limit) {
        Alert alert = incident(rule, span, serviceName, operationName, at);
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.evaluationTimestamp = at;
        measured(alert, value, limit);
        alert.alertMessage = rule.metric + " " + AlertTexts.number(value) + " is " + rule.side() + " the "
                + rule.limitKind + " " + AlertTexts.number(limit) + " on " + where(alert);
        return alert;
    }

    /** The recovery at {@code at} of the incident {@code kept} (its trigger's names and start time). */
    private Alert recovered(Limit rule, SpanSession.OpenSpan span, Alert kept, long at, double value, double limit) {
        Alert resolution = resolved(rule, span, kept, AlertResolution.RECOVERED, at, value, limit);
        resolution.alertMessage = rule.metric + " " + AlertTexts.number(value) + " is back within the "
                + rule.limitKind + " " + AlertTexts.number(limit) + " (by the hysteresis of "
                + percent(hysteresis) + ") on " + where(resolution);
        return resolution;
    }

    /** The resolution of the incident {@code kept}, under its identity and names, its message left to the caller. */
    private static Alert resolved(Limit rule, SpanSession.OpenSpan span, Alert kept, AlertResolution why, long at,
            double value, double limit) {
        Alert alert = incident(rule, span, kept.serviceName, kept.operationName, kept.startedAt);
        alert.evaluationResult = AlertState.RESOLVED;
        alert.resolution = why;
        alert.evaluationTimestamp = Math.max(at, kept.startedAt);
        measured(alert, value, limit);
        return alert;
    }

    /** What every alert of the incident of {@code rule} on {@code span} that started at {@code at} has alike. */
    private static Alert incident(
            Limit rule, SpanSession.OpenSpan span, String serviceName, String operationName, long at) {
        Alert alert = new Alert();
        alert.alertId = Alert.idOf(ALERT_TYPE, SpanSession.key(span.traceId, span.spanId), rule.id, at);
        alert.alertType = ALERT_TYPE;
        alert.alertRuleId = rule.id;
        alert.alertRuleName = rule.ruleName;
        alert.recommendedActions = rule.recommendedActions.clone();
        alert.severity = rule.severity;
        alert.traceId = span.traceId;
        alert.spanId = span.spanId;
        alert.serviceName = serviceName;
        alert.operationName = operationName;
        alert.metric = rule.metric;
        alert.startedAt = at;
        return alert;
    }

    /** Sets the value evaluated, the limit in force and how far the one is past the other. */
    private static void measured(Alert alert, double value, double limit) {
        alert.thresholdValue = limit;
        alert.actualValue = value;
        alert.deviationPercent = AlertTexts.deviationPercent(value, limit);
    }

    /**
     * What a span's state keeps of an incident: its names, start, evaluation time, value and limit; the rest (id,
     * rule, texts, actions: 0.5 KB, most of an open span's state) is its rule's and is made again from these. The
     * same type as the whole alert, so that a savepoint holding whole ones restores and reads alike.
     */
    private static Alert kept(Alert alert) {
        Alert kept = new Alert();
        kept.serviceName = alert.serviceName;
        kept.operationName = alert.operationName;
        kept.startedAt = alert.startedAt;
        kept.evaluationTimestamp = alert.evaluationTimestamp;
        kept.actualValue = alert.actualValue;
        kept.thresholdValue = alert.thresholdValue;
        return kept;
    }

    private static String where(Alert alert) {
        String span = "span " + alert.spanId + " of trace " + alert.traceId;
        if (alert.serviceName == null) {
            return span;
        }
        return span + " (" + alert.serviceName + (alert.operationName == null ? "" : " " + alert.operationName) + ")";
    }

    /** {@code 0.15} as {@code 15%}. */
    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** The limits checked, in the order their alerts are emitted when one message changes several. */
    public enum Limit {
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

        Limit(
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

        /** The trace's own limit, else the configured default. */
        double limit(Thresholds own, TraceAnalyticsConfig.ThresholdDefaults defaults) {
            Double limit = own == null ? null : ownLimit.apply(own);
            return limit != null ? limit : defaultLimit.applyAsDouble(defaults);
        }

        String side() {
            return lowerLimit ? "below" : "above";
        }
    }
}
