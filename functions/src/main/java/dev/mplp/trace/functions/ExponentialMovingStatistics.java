package dev.mplp.trace.functions;

/**
 * An exponentially weighted moving mean and variance of a series, in constant space: the rolling baseline of one
 * metric. Each new value gets weight {@code alpha} and the past {@code 1 - alpha}; with
 * {@link #alphaForHalfLife(double)} a value's weight halves after the given number of further values. The update
 * is the incremental one of Finch, "Incremental calculation of weighted mean and variance" (2009), section 9; Commons
 * Math has no exponentially weighted statistics. A Flink POJO (the degradation detector keeps it in keyed state).
 */
public class ExponentialMovingStatistics {
    /** Values learned so far. */
    public long count;
    public double mean;
    public double variance;

    public ExponentialMovingStatistics() {}

    /** The weight of each new value such that a value's weight halves after {@code halfLife} further values. */
    public static double alphaForHalfLife(double halfLife) {
        return 1 - Math.pow(0.5, 1 / halfLife);
    }

    /** Learns {@code value}; the first value is the mean, with no variance. */
    public void add(double value, double alpha) {
        if (count == 0) {
            mean = value;
            variance = 0;
        } else {
            double diff = value - mean;
            double increment = alpha * diff;
            mean += increment;
            variance = (1 - alpha) * (variance + diff * increment);
        }
        count++;
    }

    public double standardDeviation() {
        return Math.sqrt(variance);
    }
}
