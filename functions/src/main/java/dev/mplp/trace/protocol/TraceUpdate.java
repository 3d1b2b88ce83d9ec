package dev.mplp.trace.protocol;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * {@code payload.trace_update}: progress of a running span (message type {@code trace.execution.update}).
 *
 * @param updateTimestamp ISO-8601 with offset
 * @param status e.g. {@code running}
 * @param progressPercentage 0 to 100
 */
public record TraceUpdate(
        String traceId,
        String spanId,
        String updateTimestamp,
        String status,
        Double progressPercentage,
        String currentOperation,
        List<SpanEvent> spanEvents,
        List<SpanLog> spanLogs,
        PerformanceMetrics performanceMetrics,
        AnomalyDetectionResults anomalyDetectionResults,
        List<AlertEvaluation> alertEvaluations)
        implements SpanPayload {

    @Override
    public String time() {
        return updateTimestamp;
    }

    /**
     * {@code span_events[]}.
     *
     * @param eventAttributes values keep their JSON type (String, Boolean, Double,
     *     Integer/Long/BigInteger by magnitude, List, Map)
     */
    public record SpanEvent(String eventName, String eventTimestamp, Map<String, Object> eventAttributes) {}

    /**
     * {@code span_logs[]}.
     *
     * @param logLevel {@code debug}, {@code info}, {@code warn}, {@code error}, {@code fatal}
     * @param logAttributes values keep their JSON type (String, Boolean, Double,
     *     Integer/Long/BigInteger by magnitude, List, Map)
     */
    public record SpanLog(
            String logTimestamp, String logLevel, String logMessage, Map<String, Object> logAttributes) {}

    /** {@code performance_metrics}: the span's figures at {@code timestamp}. */
    public record PerformanceMetrics(
            String timestamp,
            Double durationMs,
            SystemMetrics systemMetrics,
            ApplicationMetrics applicationMetrics,
            BusinessMetrics businessMetrics) {}

    /** {@code performance_metrics.system_metrics}. */
    public record SystemMetrics(
            Double cpuUsagePercent,
            Double memoryUsageMb,
            Double memoryUsagePercent,
            Double networkIoBytesPerSec,
            Double diskIoBytesPerSec,
            Long activeConnections,
            Long threadCount) {}

    /** {@code performance_metrics.application_metrics}. */
    public record ApplicationMetrics(
            Double throughputOpsPerSec,
            Double latencyP50Ms,
            Double latencyP95Ms,
            Double latencyP99Ms,
            Double errorRatePercent,
            Double successRatePercent,
            Long activeRequests,
            Long queueDepth) {}

    /** {@code performance_metrics.business_metrics}. */
    public record BusinessMetrics(
            Long workflowStepsCompleted,
            Long approvalRequestsProcessed,
            Long notificationsSent,
            Double cacheHitRatePercent,
            Long databaseQueriesExecuted,
            Long externalApiCalls) {}

    /** {@code anomaly_detection_results}: what the sender's own detector saw. */
    public record AnomalyDetectionResults(
            Long anomaliesDetected, Double overallAnomalyScore, List<AnomalyDetail> anomalyDetails) {}

    /** {@code anomaly_detection_results.anomaly_details[]}. */
    public record AnomalyDetail(
            String anomalyId,
            String anomalyType,
            String anomalySeverity,
            Double anomalyConfidence,
            List<String> affectedMetrics,
            String anomalyDescription,
            String detectionTimestamp,
            BaselineComparison baselineComparison,
            RootCauseAnalysis rootCauseAnalysis) {}

    /**
     * {@code anomaly_details[].baseline_comparison}: the spec's latency fields, and whatever other
     * {@code baseline_*}/{@code current_*} pairs a detector reports in {@code extras} (typed as in the JSON).
     */
    public record BaselineComparison(
            Double baselineLatencyP95Ms,
            Double currentLatencyP95Ms,
            Double deviationPercent,
            @JsonAnySetter Map<String, Object> extras) {}

    /** {@code anomaly_details[].root_cause_analysis}. */
    public record RootCauseAnalysis(String primaryCause, List<String> contributingFactors) {}

    /** {@code alert_evaluations[]}: the sender's own alert rules. */
    public record AlertEvaluation(
            String alertRuleId,
            String alertRuleName,
            String evaluationResult,
            String evaluationTimestamp,
            Double thresholdValue,
            Double actualValue,
            String severity,
            String alertMessage,
            List<String> recommendedActions) {}
}
