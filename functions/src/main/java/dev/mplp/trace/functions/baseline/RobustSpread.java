package dev.mplp.trace.functions.baseline;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/** Median, MAD and extremes of a small sample, the robust statistics of the baselines. */
final class RobustSpread {

    /** MAD × this estimates the standard deviation of normally distributed values. */
    static final double MAD_TO_SIGMA = 1.4826;

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
     * The {@code rank}-th highest of {@code values} (the {@code rank}-th lowest when lower is worse); NaN with fewer
     * values.
     */
    static double rankedFromWorst(double[] values, int rank, boolean higherIsWorse) {
        if (values.length < rank) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return higherIsWorse ? sorted[values.length - rank] : sorted[rank - 1];
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }
}
