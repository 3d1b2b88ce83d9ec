package dev.mplp.trace.protocol;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * {@code payload.trace_completion}: a span ends (message type {@code trace.execution.complete}).
 *
 * @param completionTimestamp ISO-8601 with offset
 * @param status e.g. {@code completed}, {@code failed}
 */
public record TraceCompletion(
        String traceId,
        String spanId,
        String completionTimestamp,
        String status,
        SpanStatus spanStatus,
        ExecutionResult executionResult,
        FinalMetrics finalMetrics,
        PerformanceSummary performanceSummary,
        ResourceUtilization resourceUtilization,
        TraceAnalysis traceAnalysis,
        ComplianceValidation complianceValidation,
        ArchivalInformation archivalInformation)
        implements SpanPayload {

    @Override
    public String time() {
        return completionTimestamp;
    }

    /**
     * {@code span_status}, as in OpenTelemetry.
     *
     * @param statusCode {@code ok}, {@code error} or {@code unset}
     */
    public record SpanStatus(String statusCode, String statusMessage) {}

    /** {@code execution_result}. */
    public record ExecutionResult(Boolean success, String resultType, ResultData resultData) {}

    /**
     * {@code execution_result.result_data}: the spec's fields, and everything else the sender put there in
     * {@code extras}, keeping JSON types (String, Boolean, Double, Integer/Long/BigInteger by magnitude, List, Map).
     */
    public record ResultData(
            String workflowId,
            String executionResult,
            String finalState,
            Long approvalsCompleted,
            Long totalApprovals,
            Double processingTimeMs,
            List<OutputArtifact> outputArtifacts,
            @JsonAnySetter Map<String, Object> extras) {}

    /** {@code result_data.output_artifacts[]}. */
    public record OutputArtifact(
            String artifactType, String artifactId, Long artifactSizeBytes, String artifactChecksum) {}

    /** {@code final_metrics}: totals and peaks over the span's life. */
    public record FinalMetrics(
            Double totalDurationMs,
            Double peakCpuUsagePercent,
            Double peakMemoryUsageMb,
            Long totalNetworkIoBytes,
            Long totalDiskIoBytes,
            Long maxConcurrentOperations,
            Long totalDatabaseQueries,
            Long totalExternalApiCalls) {}

    /**
     * {@code performance_summary}.
     *
     * @param errorDistribution failed operations per error category ({@code validation_errors},
     *     {@code timeout_errors}, ...): an open set, hence a map
     */
    public record PerformanceSummary(
            Double avgThroughputOpsPerSec,
            Double avgLatencyMs,
            Double medianLatencyMs,
            Double latencyP95Ms,
            Double latencyP99Ms,
            Long totalOperations,
            Long successfulOperations,
            Long failedOperations,
            Double overallSuccessRate,
            Map<String, Long> errorDistribution) {}

    /** {@code resource_utilization}: efficiencies between 0 and 1. */
    public record ResourceUtilization(
            Double cpuEfficiency,
            Double memoryEfficiency,
            Double networkEfficiency,
            Double storageEfficiency,
            Double overallEfficiency) {}

    /** {@code trace_analysis}: the sender's own assessment of the span. */
    public record TraceAnalysis(
            String performanceGrade,
            Double efficiencyScore,
            List<Bottleneck> bottlenecksIdentified,
            List<Optimization> optimizationOpportunities,
            PerformanceComparison performanceComparison,
            AnomaliesSummary anomaliesSummary,
            AlertsSummary alertsSummary) {}

    /** {@code trace_analysis.bottlenecks_identified[]}. */
    public record Bottleneck(
            String bottleneckType, String bottleneckLocation, String impactSeverity, String optimizationPotential) {}

    /** {@code trace_analysis.optimization_opportunities[]}. */
    public record Optimization(
            String optimizationType,
            String optimizationDescription,
            String potentialImprovement,
            String implementationEffort) {}

    /** {@code trace_analysis.performance_comparison}: free-text verdicts. */
    public record PerformanceComparison(
            String vsBaseline, String vsSimilarExecutions, String vsPerformanceTargets) {}

    /** {@code trace_analysis.anomalies_summary}; {@code anomalies_by_severity} maps severity to count. */
    public record AnomaliesSummary(
            Long totalAnomaliesDetected,
            Map<String, Long> anomaliesBySeverity,
            Long anomaliesResolved,
            Long anomaliesPending) {}

    /** {@code trace_analysis.alerts_summary}; {@code alerts_by_severity} maps severity to count. */
    public record AlertsSummary(
            Long totalAlertsTriggered, Map<String, Long> alertsBySeverity, Long alertsResolved, Long alertsPending) {}

    /**
     * {@code compliance_validation}.
     *
     * @param complianceViolations the spec shows only an empty list; elements keep their JSON shape
     */
    public record ComplianceValidation(
            List<String> complianceFrameworks,
            String complianceStatus,
            Boolean auditTrailComplete,
            Boolean dataRetentionApplied,
            Boolean privacyControlsEnforced,
            List<Object> complianceViolations,
            Double complianceScore) {}

    /** {@code archival_information}: where the sender archived the trace. */
    public record ArchivalInformation(
            Boolean archived,
            String archiveLocation,
            String archiveFormat,
            Double compressionRatio,
            String retentionPeriod,
            List<String> complianceTags,
            String archiveEncryption,
            String archiveChecksum) {}
}
