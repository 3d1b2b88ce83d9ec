package dev.mplp.trace.protocol;

import java.util.List;
import java.util.Map;

/**
 * {@code payload.trace_start}: a span begins (message type {@code trace.execution.start}).
 *
 * @param parentSpanId null for a root span
 * @param startTime ISO-8601 with offset
 * @param spanKind OpenTelemetry span kind: {@code server}, {@code client}, {@code internal}, {@code producer},
 *     {@code consumer}
 * @param spanAttributes OpenTelemetry span attributes; values keep their JSON type (String, Boolean,
 *     Double, Integer/Long/BigInteger by magnitude, and List/Map for structured values)
 * @param resourceAttributes OpenTelemetry resource attributes, typed like {@code spanAttributes}
 */
public record TraceStart(
        String traceId,
        String spanId,
        String parentSpanId,
        String operationName,
        String serviceName,
        String serviceVersion,
        String startTime,
        String spanKind,
        String traceState,
        String baggage,
        Context context,
        Map<String, Object> spanAttributes,
        Map<String, Object> resourceAttributes,
        SamplingConfiguration samplingConfiguration,
        MonitoringConfiguration monitoringConfiguration)
        implements SpanPayload {

    @Override
    public String time() {
        return startTime;
    }

    /** {@code context}: the MPLP context the span runs in. */
    public record Context(
            String contextId, String userId, String sessionId, String correlationId, String requestId) {}

    /** {@code sampling_configuration}. */
    public record SamplingConfiguration(
            Double samplingRate, String samplingDecision, Long samplingPriority, List<String> traceFlags) {}

    /** {@code monitoring_configuration}: how the trace wants to be watched, with its own limits. */
    public record MonitoringConfiguration(
            Boolean metricsCollectionEnabled,
            Long metricsCollectionIntervalMs,
            Boolean anomalyDetectionEnabled,
            Double anomalyDetectionSensitivity,
            AlertThresholds alertThresholds,
            PerformanceTargets performanceTargets) {}

    /** {@code monitoring_configuration.alert_thresholds}: alert when a measurement exceeds one of these. */
    public record AlertThresholds(
            Double durationMs, Double cpuUsagePercent, Double memoryUsageMb, Double errorRatePercent) {}

    /** {@code monitoring_configuration.performance_targets}. */
    public record PerformanceTargets(
            Double maxLatencyP95Ms, Double minThroughputOpsPerSec, Double maxErrorRatePercent) {}
}
