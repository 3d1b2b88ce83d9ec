package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.Thresholds;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The values {@code sustained_breach} watches, each an upper limit: the resource and error limits of the protocol's
 * {@code alert_thresholds} and the latency target of its {@code performance_targets}. (The span duration only grows
 * and is left to {@code threshold_breach} and {@code incomplete_span}; the throughput target is a lower limit on
 * window totals, left to the RED windows.)
 */
public enum WatchedMetric {
    CPU_USAGE("cpu_usage_percent", m -> m.cpuUsagePercent, t -> t.cpuUsagePercent,
            TraceAnalyticsConfig.ThresholdDefaults::cpuUsagePercent),
    MEMORY_USAGE("memory_usage_mb", m -> m.memoryUsageMb, t -> t.memoryUsageMb,
            TraceAnalyticsConfig.ThresholdDefaults::memoryUsageMb),
    ERROR_RATE("error_rate_percent", m -> m.errorRatePercent, t -> t.errorRatePercent,
            TraceAnalyticsConfig.ThresholdDefaults::errorRatePercent),
    LATENCY_P95("latency_p95_ms", m -> m.latencyP95Ms, t -> t.maxLatencyP95Ms,
            TraceAnalyticsConfig.ThresholdDefaults::maxLatencyP95Ms);

    /** The spec's name of the value. */
    public final String metric;
    private final Function<Measurements, Double> value;
    private final Function<Thresholds, Double> ownLimit;
    private final ToDoubleFunction<TraceAnalyticsConfig.ThresholdDefaults> defaultLimit;

    WatchedMetric(
            String metric,
            Function<Measurements, Double> value,
            Function<Thresholds, Double> ownLimit,
            ToDoubleFunction<TraceAnalyticsConfig.ThresholdDefaults> defaultLimit) {
        this.metric = metric;
        this.value = value;
        this.ownLimit = ownLimit;
        this.defaultLimit = defaultLimit;
    }

    /** The value the message reports; null when it reports none (or not a finite one). */
    Double valueIn(Measurements measurements) {
        Double reported = measurements == null ? null : value.apply(measurements);
        return reported == null || !Double.isFinite(reported) ? null : reported;
    }

    /** The trace's own limit, else the configured default. */
    double limit(Thresholds own, TraceAnalyticsConfig.ThresholdDefaults defaults) {
        Double limit = own == null ? null : ownLimit.apply(own);
        return limit != null ? limit : defaultLimit.applyAsDouble(defaults);
    }
}
