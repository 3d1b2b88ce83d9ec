package dev.mplp.trace.records;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.Serializable;
import java.util.Objects;

/**
 * The limits a trace declared for itself in its start message: {@code monitoring_configuration.alert_thresholds}
 * and {@code performance_targets}. A null field means the trace gave none (the configured default applies).
 * A Flink POJO; in JSON and in the configuration's YAML, by the protocol's names ({@code cpu_usage_percent}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public class Thresholds implements Serializable {
    private static final long serialVersionUID = 1L;

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

    /** A copy with each limit this does not give taken from {@code fallback} (null: this as it is). */
    public Thresholds orElse(Thresholds fallback) {
        Thresholds merged = new Thresholds();
        Thresholds other = fallback == null ? new Thresholds() : fallback;
        merged.durationMs = durationMs != null ? durationMs : other.durationMs;
        merged.cpuUsagePercent = cpuUsagePercent != null ? cpuUsagePercent : other.cpuUsagePercent;
        merged.memoryUsageMb = memoryUsageMb != null ? memoryUsageMb : other.memoryUsageMb;
        merged.errorRatePercent = errorRatePercent != null ? errorRatePercent : other.errorRatePercent;
        merged.maxLatencyP95Ms = maxLatencyP95Ms != null ? maxLatencyP95Ms : other.maxLatencyP95Ms;
        merged.minThroughputOpsPerSec =
                minThroughputOpsPerSec != null ? minThroughputOpsPerSec : other.minThroughputOpsPerSec;
        merged.maxErrorRatePercent = maxErrorRatePercent != null ? maxErrorRatePercent : other.maxErrorRatePercent;
        return merged;
    }

    /** Why these limits cannot be used (a negative or non-finite one, named by its protocol name), or null. */
    public String problem() {
        java.util.Map<String, Double> named = new java.util.LinkedHashMap<>();
        named.put("duration_ms", durationMs);
        named.put("cpu_usage_percent", cpuUsagePercent);
        named.put("memory_usage_mb", memoryUsageMb);
        named.put("error_rate_percent", errorRatePercent);
        named.put("max_latency_p95_ms", maxLatencyP95Ms);
        named.put("min_throughput_ops_per_sec", minThroughputOpsPerSec);
        named.put("max_error_rate_percent", maxErrorRatePercent);
        for (java.util.Map.Entry<String, Double> limit : named.entrySet()) {
            Double value = limit.getValue();
            if (value != null && (!Double.isFinite(value) || value < 0)) {
                return limit.getKey() + ": must be a number, not negative";
            }
        }
        return null;
    }

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
