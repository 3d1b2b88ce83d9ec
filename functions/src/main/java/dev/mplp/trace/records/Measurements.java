package dev.mplp.trace.records;

import java.util.Objects;

/**
 * The values a message reports that the detectors evaluate, normalised across message types (see
 * {@code TraceEventExtractor} for which protocol field feeds which). A null field means the message did not
 * report it. A Flink POJO.
 */
public class Measurements {
    /** Elapsed span time: update {@code performance_metrics.duration_ms}, completion {@code final_metrics.total_duration_ms}. */
    public Double durationMs;
    public Double cpuUsagePercent;
    public Double memoryUsageMb;
    public Double errorRatePercent;
    public Double latencyP95Ms;
    public Double throughputOpsPerSec;
    /** Error events this message carries: error-level span logs, failed operations. */
    public Long errorCount;
    /** Operations this message accounts for, where it says (completion {@code total_operations}). */
    public Long operationCount;

    public Measurements() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Measurements other)) {
            return false;
        }
        return Objects.equals(durationMs, other.durationMs)
                && Objects.equals(cpuUsagePercent, other.cpuUsagePercent)
                && Objects.equals(memoryUsageMb, other.memoryUsageMb)
                && Objects.equals(errorRatePercent, other.errorRatePercent)
                && Objects.equals(latencyP95Ms, other.latencyP95Ms)
                && Objects.equals(throughputOpsPerSec, other.throughputOpsPerSec)
                && Objects.equals(errorCount, other.errorCount)
                && Objects.equals(operationCount, other.operationCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(durationMs, cpuUsagePercent, memoryUsageMb, errorRatePercent, latencyP95Ms);
    }

    @Override
    public String toString() {
        return "Measurements{durationMs=" + durationMs + ", cpu%=" + cpuUsagePercent + ", memMb=" + memoryUsageMb
                + ", err%=" + errorRatePercent + ", p95Ms=" + latencyP95Ms + ", ops/s=" + throughputOpsPerSec
                + ", errors=" + errorCount + ", ops=" + operationCount + "}";
    }
}
