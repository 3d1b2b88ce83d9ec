package dev.mplp.trace.functions.baseline;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/** Median, MAD and tail quantiles of a small sample, the robust statistics of the baselines. */
final class RobustSpread {

    /** MAD × this estimates the standard deviation of normally distributed values. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** The 90th percentile of a normal distribution, in standard deviations. */
    static final double Z_90 = 1.2816;

    private RobustSpread() {}

    static double median(double[] values) {
        return quantile(values, 50);
    }

    /** The {@code percent}-th percentile (Commons Math's default estimation); NaN for no values. */
    static double quantile(double[] values, double percent) {
        if (values.length == 0) {
            return Double.NaN;
        }
        return new Percentile().evaluate(values, percent);
    }

    /** The median absolute deviation from {@code median}, × {@link #MAD_TO_SIGMA}. */
    static double madSigma(double[] values, double median) {
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return MAD_TO_SIGMA * median(deviations);
    }

    /**
     * The spread that the distance from {@code median} to the 90th percentile of {@code values} (the 10th when lower
     * is worse) implies: a bursty series sitting at a floor has a MAD of nearly nothing, but its bursts reach its
     * tail quantile.
     */
    static double tailSigma(double[] values, double median, boolean higherIsWorse) {
        double tail = quantile(values, higherIsWorse ? 90 : 10);
        return Double.isNaN(tail) ? 0 : Math.max(0, (higherIsWorse ? tail - median : median - tail) / Z_90);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }
}
