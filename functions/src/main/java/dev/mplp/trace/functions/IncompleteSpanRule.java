package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.io.Serializable;
import java.time.Duration;

/**
 * {@code incomplete_span}: a span that started and did not complete in time. Stateless: {@link SpanSession} keeps
 * the span's start and the instant it becomes incomplete, and calls this with its housekeeping timer.
 *
 * <p><b>Timeout.</b> The span's own {@code alert_thresholds.duration_ms} (else the rule document's, else
 * {@code detection.thresholds.defaults.duration-ms}) times {@code patterns.incomplete-span.timeout-factor}, at most
 * {@code patterns.incomplete-span.max-timeout}. A completion at or before its start plus the timeout opens nothing.
 *
 * <p><b>Incident.</b> Opened at the start plus the timeout, its {@code alertId} from the span and that instant.
 * Resolved ({@link AlertResolution#SPAN_COMPLETED}) by the span's completion whenever it comes; a span that never
 * completes is given up ({@link AlertResolution#SPAN_EXPIRED}) {@code detection.span.inactivity-timeout} after it
 * became incomplete.
 */
public class IncompleteSpanRule implements Serializable {

    public static final String ALERT_TYPE = "incomplete_span";
    public static final String RULE_ID = "pattern.incomplete_span";

    private final double defaultDurationMs;
    private final double timeoutFactor;
    private final long maxTimeoutMillis;
    private final Duration inactivityTimeout;

    public IncompleteSpanRule(TraceAnalyticsConfig config) {
        this(config.detection().thresholds().defaults().durationMs(),
                config.patterns().incompleteSpan(),
                config.detection().span().inactivityTimeout());
    }

    public IncompleteSpanRule(
            double defaultDurationMs, TraceAnalyticsConfig.IncompleteSpan incomplete, Duration inactivityTimeout) {
        this.defaultDurationMs = defaultDurationMs;
        this.timeoutFactor = incomplete.timeoutFactor();
        this.maxTimeoutMillis = incomplete.maxTimeout().toMillis();
        this.inactivityTimeout = inactivityTimeout;
    }

    /** The span's own timeout, in ms, from the thresholds of its start. */
    public long timeoutMillis(Thresholds thresholds) {
        Double own = thresholds == null ? null : thresholds.durationMs;
        double limit = own != null ? own : defaultDurationMs;
        return (long) Math.min(limit * timeoutFactor, maxTimeoutMillis);
    }

    /** How long an incident stays open without a completion before the span is given up. */
    public long expiryMillis() {
        return inactivityTimeout.toMillis();
    }

    /** The incident of a span that started at {@code startedAt} and is incomplete from {@code incompleteAt}. */
    public Alert opened(SpanSession.OpenSpan span) {
        long timeout = span.incompleteAt - span.startTime;
        Alert alert = subject(span);
        alert.alertId = Alert.idOf(ALERT_TYPE, SpanSession.key(span.traceId, span.spanId), RULE_ID, span.incompleteAt);
        alert.alertRuleId = RULE_ID;
        alert.alertRuleName = "Incomplete span";
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.severity = Severity.WARNING;
        alert.thresholdValue = (double) timeout;
        alert.actualValue = (double) timeout;
        alert.windowStart = span.startTime;
        alert.windowEnd = span.incompleteAt;
        alert.evaluationTimestamp = span.incompleteAt;
        alert.startedAt = span.incompleteAt;
        alert.alertMessage = "span " + span.spanId + " of trace " + span.traceId + " (" + span.startServiceName
                + " " + span.startOperationName + ") has not completed "
                + AlertTexts.text(Duration.ofMillis(timeout)) + " after its start";
        alert.recommendedActions = new String[] {
            "Check whether " + span.startServiceName + " is stuck or crashed while running "
                    + span.startOperationName,
            "Look at the span's last update and its child spans"
        };
        return alert;
    }

    /** The open incident resolved by the span's completion. */
    public Alert completed(SpanSession.OpenSpan span, TraceEvent completion) {
        Alert resolved = opened(span);
        resolved.evaluationResult = AlertState.RESOLVED;
        resolved.resolution = AlertResolution.SPAN_COMPLETED;
        resolved.evaluationTimestamp = Math.max(completion.eventTime, span.incompleteAt);
        resolved.actualValue = completion.measurements == null ? null : completion.measurements.durationMs;
        resolved.alertMessage = "span " + completion.spanId + " of trace " + completion.traceId
                + " completed after all" + (resolved.actualValue == null ? "" : ", after " + AlertTexts.number(
                        resolved.actualValue) + " ms");
        return resolved;
    }

    /** The open incident of a span given up without a completion. */
    public Alert expired(SpanSession.OpenSpan span) {
        Alert resolved = opened(span);
        resolved.evaluationResult = AlertState.RESOLVED;
        resolved.resolution = AlertResolution.SPAN_EXPIRED;
        resolved.evaluationTimestamp = span.incompleteAt + expiryMillis();
        resolved.alertMessage = ALERT_TYPE + " on span " + span.spanId + " of trace " + span.traceId
                + " ended: the span sent no completion for " + AlertTexts.text(inactivityTimeout);
        return resolved;
    }

    private static Alert subject(SpanSession.OpenSpan span) {
        Alert alert = new Alert();
        alert.alertType = ALERT_TYPE;
        alert.serviceName = span.startServiceName;
        alert.operationName = span.startOperationName;
        alert.traceId = span.traceId;
        alert.spanId = span.spanId;
        alert.metric = "duration_ms";
        return alert;
    }
}
