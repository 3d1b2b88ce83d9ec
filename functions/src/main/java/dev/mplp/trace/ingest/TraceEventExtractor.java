package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.protocol.MetricsCollection;
import dev.mplp.trace.protocol.SpanPayload;
import dev.mplp.trace.protocol.Timestamps;
import dev.mplp.trace.protocol.TraceCompletion;
import dev.mplp.trace.protocol.TraceMessage;
import dev.mplp.trace.protocol.TraceStart;
import dev.mplp.trace.protocol.TraceUpdate;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a typed protocol message into the {@link TraceEvent} the jobs process.
 *
 * <p>Common to all types: envelope fields, {@code traceId}/{@code spanId} from the body, {@code payload} = the
 * original JSON bytes verbatim, and {@code eventTime} = the envelope {@code timestamp} in epoch milliseconds, or,
 * when the envelope has none, the body's own time ({@code start_time}, {@code update_timestamp},
 * {@code completion_timestamp}, {@code collection_timestamp}). {@code measurements} is never null (its fields are
 * null where the message does not report them).
 *
 * <table>
 *   <caption>Where the fields come from</caption>
 *   <tr><th>type</th><th>TraceEvent / Measurements field</th><th>protocol field</th></tr>
 *   <tr><td>start</td><td>serviceName, operationName, spanKind, parentSpanId</td>
 *       <td>service_name, operation_name, span_kind, parent_span_id</td></tr>
 *   <tr><td>start</td><td>attributes, resourceAttributes (JSON objects), traceState, baggage</td>
 *       <td>span_attributes, resource_attributes, trace_state, baggage</td></tr>
 *   <tr><td>start</td><td>thresholds (never null for a start; null for the other types)</td>
 *       <td>monitoring_configuration.alert_thresholds.{duration_ms, cpu_usage_percent, memory_usage_mb,
 *       error_rate_percent}, performance_targets.{max_latency_p95_ms, min_throughput_ops_per_sec,
 *       max_error_rate_percent}</td></tr>
 *   <tr><td>update</td><td>status</td><td>status</td></tr>
 *   <tr><td>update</td><td>durationMs</td><td>performance_metrics.duration_ms</td></tr>
 *   <tr><td>update</td><td>cpuUsagePercent, memoryUsageMb</td>
 *       <td>performance_metrics.system_metrics.{cpu_usage_percent, memory_usage_mb}</td></tr>
 *   <tr><td>update</td><td>errorRatePercent, latencyP95Ms, throughputOpsPerSec</td>
 *       <td>performance_metrics.application_metrics.{error_rate_percent, latency_p95_ms,
 *       throughput_ops_per_sec}</td></tr>
 *   <tr><td>update</td><td>errorCount</td><td>how many span_logs have log_level {@code error} or {@code fatal}
 *       (any case); null without span_logs</td></tr>
 *   <tr><td>completion</td><td>status, statusCode, success</td>
 *       <td>status, span_status.status_code, execution_result.success</td></tr>
 *   <tr><td>completion</td><td>durationMs, cpuUsagePercent, memoryUsageMb</td>
 *       <td>final_metrics.{total_duration_ms, peak_cpu_usage_percent, peak_memory_usage_mb}</td></tr>
 *   <tr><td>completion</td><td>latencyP95Ms, throughputOpsPerSec</td>
 *       <td>performance_summary.{latency_p95_ms, avg_throughput_ops_per_sec}</td></tr>
 *   <tr><td>completion</td><td>errorCount, operationCount</td>
 *       <td>performance_summary.{failed_operations, total_operations}</td></tr>
 *   <tr><td>completion</td><td>errorRatePercent</td>
 *       <td>failed_operations / total_operations * 100, when both are given and total_operations &gt; 0</td></tr>
 *   <tr><td>metrics</td><td>cpuUsagePercent</td><td>system_metrics.cpu.usage_percent</td></tr>
 *   <tr><td>metrics</td><td>memoryUsageMb</td><td>system_metrics.memory.used_bytes / 1048576</td></tr>
 *   <tr><td>metrics</td><td>errorRatePercent, latencyP95Ms, throughputOpsPerSec</td>
 *       <td>application_metrics.http.{error_rate_percent, response_time_p95_ms, requests_per_sec}</td></tr>
 * </table>
 */
public final class TraceEventExtractor {

    private static final double BYTES_PER_MB = 1024.0 * 1024.0;

    private TraceEventExtractor() {}

    /**
     * The trace event of a message that {@link MessageValidator} accepts.
     *
     * @param originalJson the message's bytes exactly as received, for the lossless archive
     * @param spanAttributes false to leave a start's attributes and resource attributes null: writing them as JSON
     *     again is most of a start's extraction, for a job whose outputs do not read them
     * @throws IllegalArgumentException when the message has no known type or no body for it
     * @throws java.time.DateTimeException when neither the envelope nor the body has a valid time
     */
    public static TraceEvent extract(TraceMessage message, byte[] originalJson, String sourcePosition, long ingestTime,
            boolean spanAttributes) {
        MessageType type = message.type().orElseThrow(
                () -> new IllegalArgumentException("unknown message_type: " + message.messageType()));
        SpanPayload body = message.body();
        if (body == null) {
            throw new IllegalArgumentException("no payload." + type.payloadField());
        }
        TraceEvent event = new TraceEvent();
        event.messageId = message.messageId();
        event.messageType = type;
        event.protocolVersion = message.protocolVersion();
        event.eventTime = Timestamps.toEpochMilli(message.timestamp() != null ? message.timestamp() : body.time());
        event.ingestTime = ingestTime;
        event.correlationId = message.correlationId();
        event.senderId = message.sender() == null ? null : message.sender().senderId();
        event.traceId = body.traceId();
        event.spanId = body.spanId();
        event.sourcePosition = sourcePosition;
        event.payload = originalJson;
        event.measurements = new Measurements();
        if (body instanceof TraceStart start) {
            start(event, start, spanAttributes);
        } else if (body instanceof TraceUpdate update) {
            update(event, update);
        } else if (body instanceof TraceCompletion completion) {
            completion(event, completion);
        } else {
            metrics(event.measurements, (MetricsCollection) body);
        }
        return event;
    }

    private static void start(TraceEvent event, TraceStart start, boolean spanAttributes) {
        event.parentSpanId = start.parentSpanId();
        event.serviceName = start.serviceName();
        event.operationName = start.operationName();
        event.spanKind = start.spanKind();
        if (spanAttributes) {
            event.attributes = jsonObject(start.spanAttributes());
            event.resourceAttributes = jsonObject(start.resourceAttributes());
        }
        // parsed and cut to their valid entries by W3cContext, where the dropped ones are counted
        event.traceState = start.traceState();
        event.baggage = start.baggage();
        Thresholds thresholds = new Thresholds();
        TraceStart.MonitoringConfiguration monitoring = start.monitoringConfiguration();
        if (monitoring != null && monitoring.alertThresholds() != null) {
            TraceStart.AlertThresholds alert = monitoring.alertThresholds();
            thresholds.durationMs = alert.durationMs();
            thresholds.cpuUsagePercent = alert.cpuUsagePercent();
            thresholds.memoryUsageMb = alert.memoryUsageMb();
            thresholds.errorRatePercent = alert.errorRatePercent();
        }
        if (monitoring != null && monitoring.performanceTargets() != null) {
            TraceStart.PerformanceTargets targets = monitoring.performanceTargets();
            thresholds.maxLatencyP95Ms = targets.maxLatencyP95Ms();
            thresholds.minThroughputOpsPerSec = targets.minThroughputOpsPerSec();
            thresholds.maxErrorRatePercent = targets.maxErrorRatePercent();
        }
        event.thresholds = thresholds;
    }

    /** A map of attributes as a JSON object; null for none. */
    static String jsonObject(Map<String, Object> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("attributes not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void update(TraceEvent event, TraceUpdate update) {
        event.status = update.status();
        Measurements m = event.measurements;
        TraceUpdate.PerformanceMetrics metrics = update.performanceMetrics();
        if (metrics != null) {
            m.durationMs = metrics.durationMs();
            if (metrics.systemMetrics() != null) {
                m.cpuUsagePercent = metrics.systemMetrics().cpuUsagePercent();
                m.memoryUsageMb = metrics.systemMetrics().memoryUsageMb();
            }
            if (metrics.applicationMetrics() != null) {
                m.errorRatePercent = metrics.applicationMetrics().errorRatePercent();
                m.latencyP95Ms = metrics.applicationMetrics().latencyP95Ms();
                m.throughputOpsPerSec = metrics.applicationMetrics().throughputOpsPerSec();
            }
        }
        m.errorCount = errorLogs(update.spanLogs());
    }

    private static Long errorLogs(List<TraceUpdate.SpanLog> logs) {
        if (logs == null) {
            return null;
        }
        return logs.stream()
                .filter(log -> log != null && log.logLevel() != null)
                .map(log -> log.logLevel().toLowerCase(Locale.ROOT))
                .filter(level -> level.equals("error") || level.equals("fatal"))
                .count();
    }

    private static void completion(TraceEvent event, TraceCompletion completion) {
        event.status = completion.status();
        event.statusCode = completion.spanStatus() == null ? null : completion.spanStatus().statusCode();
        event.statusMessage = completion.spanStatus() == null ? null : completion.spanStatus().statusMessage();
        event.success = completion.executionResult() == null ? null : completion.executionResult().success();
        Measurements m = event.measurements;
        TraceCompletion.FinalMetrics totals = completion.finalMetrics();
        if (totals != null) {
            m.durationMs = totals.totalDurationMs();
            m.cpuUsagePercent = totals.peakCpuUsagePercent();
            m.memoryUsageMb = totals.peakMemoryUsageMb();
        }
        TraceCompletion.PerformanceSummary summary = completion.performanceSummary();
        if (summary != null) {
            m.latencyP95Ms = summary.latencyP95Ms();
            m.throughputOpsPerSec = summary.avgThroughputOpsPerSec();
            m.errorCount = summary.failedOperations();
            m.operationCount = summary.totalOperations();
            if (m.errorCount != null && m.operationCount != null && m.operationCount > 0) {
                m.errorRatePercent = m.errorCount * 100.0 / m.operationCount;
            }
        }
    }

    private static void metrics(Measurements m, MetricsCollection collection) {
        MetricsCollection.SystemMetrics system = collection.systemMetrics();
        if (system != null && system.cpu() != null) {
            m.cpuUsagePercent = system.cpu().usagePercent();
        }
        if (system != null && system.memory() != null && system.memory().usedBytes() != null) {
            m.memoryUsageMb = system.memory().usedBytes() / BYTES_PER_MB;
        }
        MetricsCollection.ApplicationMetrics application = collection.applicationMetrics();
        if (application != null && application.http() != null) {
            MetricsCollection.Http http = application.http();
            m.errorRatePercent = http.errorRatePercent();
            m.latencyP95Ms = http.responseTimeP95Ms();
            m.throughputOpsPerSec = http.requestsPerSec();
        }
    }
}
