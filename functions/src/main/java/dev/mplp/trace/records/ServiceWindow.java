package dev.mplp.trace.records;

import java.util.Objects;

/**
 * A summary of one tumbling event-time window, with the rolling baselines it was compared with: what the dashboards
 * chart and what the archive's {@code service_windows/} table holds. Two kinds share this record:
 * <ul>
 *   <li>{@link #KIND_OPERATION}: the RED summary of one (service, operation) from its completed spans: count,
 *       throughput, error rate, latency percentiles;</li>
 *   <li>{@link #KIND_RESOURCE}: the resource summary of one service from its {@code trace.metrics.collect}
 *       messages ({@code operationName} is null).</li>
 * </ul>
 * A field that does not apply to the kind is null. A Flink POJO.
 */
public class ServiceWindow {
    public static final String KIND_OPERATION = "operation";
    public static final String KIND_RESOURCE = "resource";

    public String kind;
    public String serviceName;
    public String operationName;
    /** Window bounds, epoch ms, start inclusive, end exclusive. */
    public long windowStart;
    public long windowEnd;

    // RED (operation windows)
    public long spanCount;
    public long errorSpanCount;
    public Double throughputOpsPerSec;
    public Double errorRatePercent;
    public Double latencyP50Ms;
    public Double latencyP95Ms;
    public Double latencyP99Ms;
    public Double latencyMaxMs;

    // resources (resource windows)
    public long metricsSamples;
    public Double cpuUsagePercentAvg;
    public Double cpuUsagePercentMax;
    public Double memoryUsageMbAvg;
    public Double memoryUsageMbMax;

    // baselines (operation windows, once warmed up): what this window was compared with
    public Double baselineLatencyP95Ms;
    public Double baselineErrorRatePercent;
    public Double baselineThroughputOpsPerSec;

    public ServiceWindow() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServiceWindow other)) {
            return false;
        }
        return windowStart == other.windowStart
                && windowEnd == other.windowEnd
                && spanCount == other.spanCount
                && errorSpanCount == other.errorSpanCount
                && metricsSamples == other.metricsSamples
                && Objects.equals(kind, other.kind)
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(operationName, other.operationName)
                && Objects.equals(throughputOpsPerSec, other.throughputOpsPerSec)
                && Objects.equals(errorRatePercent, other.errorRatePercent)
                && Objects.equals(latencyP50Ms, other.latencyP50Ms)
                && Objects.equals(latencyP95Ms, other.latencyP95Ms)
                && Objects.equals(latencyP99Ms, other.latencyP99Ms)
                && Objects.equals(latencyMaxMs, other.latencyMaxMs)
                && Objects.equals(cpuUsagePercentAvg, other.cpuUsagePercentAvg)
                && Objects.equals(cpuUsagePercentMax, other.cpuUsagePercentMax)
                && Objects.equals(memoryUsageMbAvg, other.memoryUsageMbAvg)
                && Objects.equals(memoryUsageMbMax, other.memoryUsageMbMax)
                && Objects.equals(baselineLatencyP95Ms, other.baselineLatencyP95Ms)
                && Objects.equals(baselineErrorRatePercent, other.baselineErrorRatePercent)
                && Objects.equals(baselineThroughputOpsPerSec, other.baselineThroughputOpsPerSec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, serviceName, operationName, windowStart);
    }

    @Override
    public String toString() {
        return "ServiceWindow{" + kind + " " + serviceName + "/" + operationName + " [" + windowStart + ","
                + windowEnd + ") n=" + spanCount + " err%=" + errorRatePercent + " p95=" + latencyP95Ms + " cpu="
                + cpuUsagePercentAvg + " baseline p95=" + baselineLatencyP95Ms + "}";
    }
}
