package dev.mplp.trace.functions.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * What one metric of one operation has learned of its normal, and how a window compares with it. A Flink POJO,
 * bounded: {@code history-windows} values and an hour-of-day profile.
 *
 * <p>A window is compared with up to three baselines, and it deviates only if it is worse than all of them (each
 * is a way the window can be normal):
 * <ul>
 *   <li><b>recent level</b>: the median of the learned windows of the history, with a spread that is the larger
 *       of their MAD's and the one the 90th percentile (10th when lower is worse) of all windows held implies
 *       (past deviations included, the current one not), so that a bursty series at a low floor gets a band
 *       above its bursts; used when no short period is found;
 *   <li><b>every N windows</b>: when the history's autocorrelation shows a period N ({@link Periodicity}), the
 *       median over the last three periods of the window N back (or its neighbour: a burst may start a window
 *       early or late), with the learned windows' MAD spread: an hourly burst is normal at its time of the hour,
 *       and a rise between bursts is not;
 *   <li><b>hour of day</b>: the median of the same UTC hour of the previous day, with that hour's MAD spread: a
 *       daily rise is normal at its hour.
 * </ul>
 * The band of a baseline is its value plus (minus, when lower is worse) the larger of {@code min-relative-change}
 * of it, {@code min-z-score} robust standard deviations (at least {@code min-std-fraction} of the value) and the
 * metric's absolute minimum (the error rate's percentage points).
 *
 * <p>Deviating windows are kept in the history (the periods see them) but not learned, so that a degradation
 * does not become its own baseline, until the detector finds them normal after all: a deviation too short for an
 * incident ({@link #learnLatest}), or one that lasted into a new normal ({@link #acceptLatest}).
 */
public class MetricModel {
    public WindowHistory history = new WindowHistory();
    public HourOfDayProfile hours = new HourOfDayProfile();

    public MetricModel() {}

    public static MetricModel of(BaselineSettings settings) {
        MetricModel model = new MetricModel();
        model.history = WindowHistory.withCapacity(settings.historyWindows());
        model.hours = HourOfDayProfile.withWindowsPerHour(settings.windowsPerHour());
        return model;
    }

    /**
     * Compares {@code value}, of the window starting at {@code windowStart}, with the baselines; null while the
     * metric has learned fewer than {@code warm-up-windows} windows. Call {@link #record} after it, with the same
     * window.
     *
     * @param absoluteMinimum the smallest deviation that counts whatever the baseline (0 for none)
     */
    public Assessment assess(
            double value, long windowStart, boolean higherIsWorse, double absoluteMinimum, BaselineSettings settings) {
        hours.advanceTo(windowStart);
        double[] learned = history.learnedValues();
        if (learned.length < settings.warmUpWindows()) {
            return null;
        }
        double median = RobustSpread.median(learned);
        List<Band> bands = new ArrayList<>(3);
        int period = Periodicity.period(history.all());
        if (period > 0) {
            double expected = periodic(period, higherIsWorse);
            if (!Double.isNaN(expected)) {
                bands.add(new Band("every " + period + " windows", expected, RobustSpread.madSigma(learned, median)));
            }
        }
        if (bands.isEmpty()) {
            double tail = RobustSpread.tailSigma(history.allButCurrentDeviation(), median, higherIsWorse);
            bands.add(new Band("recent level", median, Math.max(RobustSpread.madSigma(learned, median), tail)));
        }
        double yesterday = hours.yesterdayMedian();
        if (!Double.isNaN(yesterday)) {
            bands.add(new Band("hour of day", yesterday, hours.yesterdaySigma()));
        }
        double sign = higherIsWorse ? 1 : -1;
        double persistentZ = settings.persistentZScore();
        boolean deviating = true;
        boolean extreme = true;
        Band lenient = null;
        double lenientEdge = 0;
        for (Band band : bands) {
            double sigma = Math.max(band.sigma, settings.minStdFraction() * Math.abs(band.expected));
            double worse = sign * (value - band.expected);
            double allowance = allowance(band.expected, sigma, settings.minZScore(), absoluteMinimum, settings);
            deviating &= worse >= allowance(band.expected, sigma, persistentZ, absoluteMinimum, settings);
            extreme &= worse >= settings.extremeFactor() * allowance;
            double edge = band.expected + sign * allowance;
            if (lenient == null || sign * edge > sign * lenientEdge) {
                lenient = band;
                lenientEdge = edge;
            }
        }
        double furthestLearned = higherIsWorse ? RobustSpread.max(learned) : RobustSpread.min(learned);
        extreme &= sign * (value - furthestLearned) >= settings.minRelativeChange() * Math.abs(furthestLearned);
        double sigma = Math.max(lenient.sigma, settings.minStdFraction() * Math.abs(lenient.expected));
        double worse = sign * (value - lenient.expected);
        double z = sigma == 0 ? (worse > 0 ? Double.POSITIVE_INFINITY : 0) : worse / sigma;
        return new Assessment(lenient.expected, lenientEdge, z, deviating, deviating && extreme, lenient.name);
    }

    /** Keeps the window's value; {@code learn} false for a window of an open incident. */
    public void record(double value, boolean learn) {
        history.add(value, learn);
        hours.add(value);
    }

    /** The latest {@code windows} windows are the new normal: learn them, and forget what came before. */
    public void acceptLatest(int windows) {
        history.forgetAll();
        history.learnLatest(windows);
    }

    /** The latest {@code windows} windows, kept but not learned, were normal after all: learn them. */
    public void learnLatest(int windows) {
        history.learnLatest(windows);
    }

    private static double allowance(
            double expected, double sigma, double z, double absoluteMinimum, BaselineSettings settings) {
        return Math.max(Math.max(settings.minRelativeChange() * Math.abs(expected), z * sigma), absoluteMinimum);
    }

    /**
     * The median, over the last three periods, of the worst of the window a period back and its two neighbours;
     * NaN with fewer than two periods held.
     */
    private double periodic(int period, boolean higherIsWorse) {
        double[] candidates = new double[3];
        int n = 0;
        for (int k = 1; k <= 3; k++) {
            double worst = Double.NaN;
            for (int d = -1; d <= 1; d++) {
                double v = history.back(k * period + d);
                if (!Double.isNaN(v) && (Double.isNaN(worst) || (higherIsWorse ? v > worst : v < worst))) {
                    worst = v;
                }
            }
            if (!Double.isNaN(worst)) {
                candidates[n++] = worst;
            }
        }
        return n < 2 ? Double.NaN : RobustSpread.median(java.util.Arrays.copyOf(candidates, n));
    }

    private record Band(String name, double expected, double sigma) {
        Band {
            sigma = Double.isNaN(sigma) ? 0 : sigma;
        }
    }
}
