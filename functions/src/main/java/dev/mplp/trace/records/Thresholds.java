package dev.mplp.trace.records;

import java.util.Objects;

/**
 * The limits a trace declared for itself in its start message: {@code monitoring_configuration.alert_thresholds}
 * and {@code performance_targets}. A null field means the trace gave none (the configured default applies).
 * A Flink POJO.
 */
public class Thresholds {
    // alert_thresholds
    public Double durationMs;
    public Double cpuUsagePercent;
    public Double memoryUsageMb;
    public Double errorRatePercent;
    // performance_targets
    public Double maxLatencyP95Ms;
    public Double minThroughputOpsPerSec;
    public Double maxErrorRatePercent;

    public Thresholds() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Thresholds other)) {
            return false;
        }
        return Objects.equals(durationMs, other.durationMs)
                && Objects.equals(cpuUsagePercent, other.cpuUsagePercent)
                && Objects.equals(memoryUsageMb, other.memoryUsageMb)
                && Objects.equals(errorRatePercent, other.errorRatePercent)
                && Objects.equals(maxLatencyP95Ms, other.maxLatencyP95Ms)
                && Objects.equals(minThroughputOpsPerSec, other.minThroughputOpsPerSec)
                && Objects.equals(maxErrorRatePercent, other.maxErrorRatePercent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(durationMs, cpuUsagePercent, memoryUsageMb, errorRatePercent, maxLatencyP95Ms);
    }

    @Override
    public String toString() {
        return "Thresholds{durationMs=" + durationMs + ", cpu%=" + cpuUsagePercent + ", memMb=" + memoryUsageMb
                + ", err%=" + errorRatePercent + ", p95Ms=" + maxLatencyP95Ms + ", minOps=" + minThroughputOpsPerSec
                + ", maxErr%=" + maxErrorRatePercent + "}";
    }
}
