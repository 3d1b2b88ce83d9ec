package dev.mplp.trace.functions.baseline;

/**
 * Finds a short recurring pattern (an hourly burst, say) in a metric's recent windows by autocorrelation: the lag,
 * at most a third of the history (three repetitions seen), whose autocorrelation is a local maximum and at least
 * {@link #MIN_AUTOCORRELATION}. None for a flat, noisy or trending series, whose autocorrelation only decays.
 */
final class Periodicity {

    static final double MIN_AUTOCORRELATION = 0.5;
    static final int MIN_PERIOD = 3;

    private Periodicity() {}

    /** The period in windows, or 0 when there is none. */
    static int period(double[] values) {
        int n = values.length;
        int maxLag = n / 3;
        if (maxLag < MIN_PERIOD + 1) {
            return 0;
        }
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= n;
        double variance = 0;
        for (double value : values) {
            variance += (value - mean) * (value - mean);
        }
        if (variance == 0) {
            return 0;
        }
        double[] acf = new double[maxLag + 2];
        for (int lag = MIN_PERIOD - 1; lag <= maxLag + 1; lag++) {
            double sum = 0;
            for (int i = 0; i + lag < n; i++) {
                sum += (values[i] - mean) * (values[i + lag] - mean);
            }
            acf[lag] = sum / variance;
        }
        int best = 0;
        for (int lag = MIN_PERIOD; lag <= maxLag; lag++) {
            boolean peak = acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1];
            if (peak && acf[lag] >= MIN_AUTOCORRELATION && (best == 0 || acf[lag] > acf[best])) {
                best = lag;
            }
        }
        return best;
    }
}
