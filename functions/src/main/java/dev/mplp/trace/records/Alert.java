package dev.mplp.trace.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One change of state of an incident that a detector found, named after the protocol's {@code alert_evaluations}
 * and {@code anomaly_details}: an incident is reported exactly twice, once {@link AlertState#TRIGGERED} and once
 * {@link AlertState#RESOLVED}, and both records carry the same {@code alertId}. Every detector emits this one
 * schema; a field that does not apply to a detector is null. A Flink POJO.
 */
public class Alert {
    /**
     * Identifies the incident: 32 hex digits of the SHA-256 of type, subject, rule and start time (see
     * {@link #idOf}). Deterministic, so a replay of the same input finds the same ids.
     */
    public String alertId;
    /** The rule that was broken, e.g. {@code threshold.duration_ms} or {@code degradation.latency_p95_ms}. */
    public String alertRuleId;
    /** The rule's human name, e.g. {@code Span duration threshold}. */
    public String alertRuleName;
    /** The detector that raised it: {@code threshold_breach}, {@code performance_degradation}, … */
    public String alertType;
    public AlertState evaluationResult;
    public Severity severity;
    /** Null when not known (a span whose start was never seen). */
    public String serviceName;
    /** Null when not known, or for an alert about a whole service. */
    public String operationName;
    /** Null when the alert is not about one span. */
    public String traceId;
    /** Null when the alert is not about one span. */
    public String spanId;
    /** The measured value the rule watches, by the spec's name, e.g. {@code cpu_usage_percent}. */
    public String metric;
    /** The limit in force when the state changed; null where the rule has none (a pure baseline deviation). */
    public Double thresholdValue;
    /** The value evaluated when the state changed (for a resolution by completion or expiry: the last one seen). */
    public Double actualValue;
    /** The rolling baseline the value was compared with; null for rules without one. */
    public Double baselineValue;
    /** How far the actual value is from the baseline (or the threshold), in percent of it; null where not known. */
    public Double deviationPercent;
    /** How sure the detector is, 0 to 1 (a baseline deviation's statistical confidence); null where not given. */
    public Double confidence;
    /** Event-time window the evaluation covered, epoch ms; null for per-message rules. */
    public Long windowStart;
    public Long windowEnd;
    /** Event time of the evaluation that changed the state, epoch milliseconds. */
    public long evaluationTimestamp;
    /** Event time the incident started (the triggering evaluation), epoch milliseconds. */
    public long startedAt;
    /** Why the incident ended; null while triggered. */
    public AlertResolution resolution;
    /** Human-readable summary. */
    public String alertMessage;
    /** What an operator may do about it; never null. */
    public String[] recommendedActions = new String[0];
    /**
     * An incident about many spans' breaches: the spans in its window that broke their own limit of the rule; null
     * for other alerts.
     */
    public Long breachingSpans;
    /** ... the spans of the (service, operation) in that window; null for other alerts. */
    public Long spanCount;
    /** ... {@code breachingSpans / spanCount}, 0 to 1; null for other alerts. */
    public Double breachShare;
    /** A few of the breaching spans, the furthest past their own limit first; never null (empty for others). */
    public Exemplar[] exemplars = new Exemplar[0];

    public Alert() {}

    /**
     * The id of the incident of {@code ruleId} about {@code subject} (a span {@code trace/span}, or a
     * {@code service/operation}) that started at {@code startedAt}: the first 32 hex digits (128 bits) of the
     * SHA-256 of the fields joined by {@code '|'}.
     */
    public static String idOf(String alertType, String subject, String ruleId, long startedAt) {
        String identity = alertType + "|" + subject + "|" + ruleId + "|" + startedAt;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A field-by-field copy. */
    public Alert copy() {
        Alert copy = new Alert();
        copy.alertId = alertId;
        copy.alertRuleId = alertRuleId;
        copy.alertRuleName = alertRuleName;
        copy.alertType = alertType;
        copy.evaluationResult = evaluationResult;
        copy.severity = severity;
        copy.serviceName = serviceName;
        copy.operationName = operationName;
        copy.traceId = traceId;
        copy.spanId = spanId;
        copy.metric = metric;
        copy.thresholdValue = thresholdValue;
        copy.actualValue = actualValue;
        copy.baselineValue = baselineValue;
        copy.deviationPercent = deviationPercent;
        copy.confidence = confidence;
        copy.windowStart = windowStart;
        copy.windowEnd = windowEnd;
        copy.evaluationTimestamp = evaluationTimestamp;
        copy.startedAt = startedAt;
        copy.resolution = resolution;
        copy.alertMessage = alertMessage;
        copy.recommendedActions = recommendedActions == null ? null : recommendedActions.clone();
        copy.breachingSpans = breachingSpans;
        copy.spanCount = spanCount;
        copy.breachShare = breachShare;
        copy.exemplars = exemplars == null ? null : exemplars.clone();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert other)) {
            return false;
        }
        return evaluationTimestamp == other.evaluationTimestamp
                && startedAt == other.startedAt
                && evaluationResult == other.evaluationResult
                && severity == other.severity
                && resolution == other.resolution
                && Objects.equals(alertId, other.alertId)
                && Objects.equals(alertRuleId, other.alertRuleId)
                && Objects.equals(alertRuleName, other.alertRuleName)
                && Objects.equals(alertType, other.alertType)
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(operationName, other.operationName)
                && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId)
                && Objects.equals(metric, other.metric)
                && Objects.equals(thresholdValue, other.thresholdValue)
                && Objects.equals(actualValue, other.actualValue)
                && Objects.equals(baselineValue, other.baselineValue)
                && Objects.equals(deviationPercent, other.deviationPercent)
                && Objects.equals(confidence, other.confidence)
                && Objects.equals(windowStart, other.windowStart)
                && Objects.equals(windowEnd, other.windowEnd)
                && Objects.equals(alertMessage, other.alertMessage)
                && Arrays.equals(recommendedActions, other.recommendedActions)
                && Objects.equals(breachingSpans, other.breachingSpans)
                && Objects.equals(spanCount, other.spanCount)
                && Objects.equals(breachShare, other.breachShare)
                && Arrays.equals(exemplars, other.exemplars);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, evaluationResult, evaluationTimestamp);
    }

    @Override
    public String toString() {
        return "Alert{" + evaluationResult + " " + alertRuleId + " " + severity + " " + serviceName + "/"
                + operationName + " trace=" + traceId + " span=" + spanId + " " + metric + "=" + actualValue
                + " vs " + thresholdValue + " baseline " + baselineValue + " at " + evaluationTimestamp
                + " (since " + startedAt + ")" + (resolution == null ? "" : " " + resolution) + ", id=" + alertId
                + "}";
    }
}
