package dev.mplp.trace.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code payload.metrics_collection}: a periodic metrics sample for a span (message type
 * {@code trace.metrics.collect}).
 *
 * @param collectionTimestamp ISO-8601 with offset
 * @param customMetrics free-form groups of named numbers ({@code custom_metrics.mplp_specific.trace_spans_per_sec})
 */
public record MetricsCollection(
        String collectionId,
        String traceId,
        String spanId,
        String collectionTimestamp,
        Long collectionIntervalMs,
        List<String> metricsCategories,
        SystemMetrics systemMetrics,
        ApplicationMetrics applicationMetrics,
        BusinessMetrics businessMetrics,
        Map<String, Map<String, Double>> customMetrics)
        implements SpanPayload {

    @Override
    public String time() {
        return collectionTimestamp;
    }

    /** {@code system_metrics}. */
    public record SystemMetrics(Cpu cpu, Memory memory, Network network, Disk disk) {}

    /** {@code system_metrics.cpu}. */
    public record Cpu(
            Double usagePercent,
            Double userPercent,
            Double systemPercent,
            Double idlePercent,
            Double iowaitPercent,
            @JsonProperty("load_average_1m") Double loadAverage1m,
            @JsonProperty("load_average_5m") Double loadAverage5m,
            @JsonProperty("load_average_15m") Double loadAverage15m) {}

    /** {@code system_metrics.memory}. */
    public record Memory(
            Long totalBytes,
            Long usedBytes,
            Long availableBytes,
            Double usagePercent,
            Long bufferCacheBytes,
            Long swapTotalBytes,
            Long swapUsedBytes,
            Double swapUsagePercent) {}

    /** {@code system_metrics.network}. */
    public record Network(
            Double bytesSentPerSec,
            Double bytesReceivedPerSec,
            Double packetsSentPerSec,
            Double packetsReceivedPerSec,
            Double errorsPerSec,
            Double dropsPerSec,
            Long activeConnections,
            Long timeWaitConnections) {}

    /** {@code system_metrics.disk}. */
    public record Disk(
            Double readBytesPerSec,
            Double writeBytesPerSec,
            Double readOpsPerSec,
            Double writeOpsPerSec,
            Double usagePercent,
            Long availableBytes,
            Double inodeUsagePercent) {}

    /** {@code application_metrics}. */
    public record ApplicationMetrics(Http http, Database database, Cache cache, Queue queue) {}

    /**
     * {@code application_metrics.http}.
     *
     * @param statusCodeDistribution request count per status class ({@code 2xx}, {@code 5xx}, ...)
     */
    public record Http(
            Double requestsPerSec,
            Double responseTimeP50Ms,
            Double responseTimeP95Ms,
            Double responseTimeP99Ms,
            Double errorRatePercent,
            Map<String, Long> statusCodeDistribution,
            Long activeRequests,
            Long queueDepth) {}

    /** {@code application_metrics.database}. */
    public record Database(
            Long connectionsActive,
            Long connectionsIdle,
            Long connectionsMax,
            Double queryDurationP50Ms,
            Double queryDurationP95Ms,
            Double queriesPerSec,
            Double slowQueriesPerSec,
            Double deadlocksPerSec,
            Double cacheHitRatePercent) {}

    /** {@code application_metrics.cache}. */
    public record Cache(
            Double hitRatePercent,
            Double missRatePercent,
            Double evictionRatePerSec,
            Long memoryUsageBytes,
            Double memoryUsagePercent,
            Long keysCount,
            Double expiredKeysPerSec) {}

    /** {@code application_metrics.queue}. */
    public record Queue(
            Double messagesPerSec,
            Double processingTimeP50Ms,
            Double processingTimeP95Ms,
            Long queueDepth,
            Long deadLetterQueueDepth,
            Double consumerLagMs) {}

    /** {@code business_metrics}. */
    public record BusinessMetrics(
            Workflow workflow, Approvals approvals, Notifications notifications, Users users) {}

    /** {@code business_metrics.workflow}. */
    public record Workflow(
            Double executionsPerMinute,
            Double completionRatePercent,
            Double averageExecutionTimeMs,
            Double stepsPerExecution,
            Double approvalRatePercent) {}

    /** {@code business_metrics.approvals}. */
    public record Approvals(
            Double requestsPerMinute,
            Double approvalRatePercent,
            Double rejectionRatePercent,
            Double averageDecisionTimeMs,
            Double escalationRatePercent) {}

    /** {@code business_metrics.notifications}. */
    public record Notifications(
            Double sentPerMinute,
            Double deliveryRatePercent,
            Double bounceRatePercent,
            Double averageDeliveryTimeMs) {}

    /** {@code business_metrics.users}. */
    public record Users(
            Long activeSessions,
            Double loginRatePerMinute,
            Double logoutRatePerMinute,
            Double sessionDurationP50Minutes,
            Long concurrentUsers) {}
}
