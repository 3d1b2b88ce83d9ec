package dev.mplp.trace.generator;

import java.util.regex.Pattern;

/**
 * One operation of a simulated service: its name and its latency, log-normal with median
 * {@code medianLatencyMs} and shape {@code sigma} (the standard deviation of the latency's logarithm; 0.3 to 0.5
 * gives a realistic spread, a p95 about 1.6 to 2.3 times the median).
 */
public record OperationSpec(String name, double medianLatencyMs, double sigma) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public OperationSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "operation name '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
        if (!(medianLatencyMs >= 1) || !Double.isFinite(medianLatencyMs)) {
            throw new IllegalArgumentException(
                    "operation " + name + ": the median latency must be at least 1 ms, not " + medianLatencyMs);
        }
        if (!(sigma > 0 && sigma <= 3)) {
            throw new IllegalArgumentException(
                    "operation " + name + ": the latency shape sigma must be above 0 and at most 3, not " + sigma);
        }
    }

    /** An operation with the usual spread (sigma 0.35). */
    public static OperationSpec of(String name, double medianLatencyMs) {
        return new OperationSpec(name, medianLatencyMs, 0.35);
    }

    /** The 95th percentile of this operation's latency, in ms. */
    public double p95LatencyMs() {
        return medianLatencyMs * org.apache.commons.math3.util.FastMath.exp(1.6448536269514722 * sigma);
    }
}
