package dev.mplp.trace.functions.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * What one metric of one operation has learned of its normal, and how a window compares with it. A Flink POJO,
 * bounded: {@code history-windows} values and a profile of the hours of a week.
 *
 * <p>A window is compared with up to five baselines, and it deviates only if it is worse than all of them (each
 * is a way the window can be normal):
 * <ul>
 *   <li><b>recent level</b>: the median of the learned windows of the history, with their MAD spread; used when no
 *       short period is found;
 *   <li><b>recurring excursion</b>: with the recent level, when the series has left that level's band in at least
 *       {@value #RECURRENCES} earlier excursions ({@link WindowHistory#excursionsBeyond}: a run of windows beyond the
 *       band's edge for a mild deviation, learned or not, counted once by its least extreme window), the least
 *       extreme of the {@value #RECURRENCES} most extreme excursions, with the band of the relative change. A series sitting at a floor with bursts has a MAD of its floor's noise alone (the bursts
 *       are far fewer than half the windows), so its level's band is tight and every burst would page; but the
 *       bursts are a second mode of its normal, not a wider spread of the first: this baseline is that mode, known
 *       by how often it recurs rather than by how large a share of the windows it is (a tail quantile misses bursts
 *       rarer than its percentage: the 90th percentile, before, missed a floor's first bursts, 2 in 63 windows). A
 *       spike or an incident is news the first and the second time; from the third it is part of the series. A
 *       noisy series, whose noise seldom leaves its level's band, has no such baseline;
 *   <li><b>every N windows</b>: when the history's autocorrelation shows a period N ({@link Periodicity}), the
 *       median over the last three periods of the window N back (or its neighbour: a burst may start a window
 *       early or late), with the learned windows' MAD spread: an hourly burst is normal at its time of the hour,
 *       and a rise between bursts is not;
 *   <li><b>hour of day</b>: the median of the same UTC hour of the previous day, with that hour's MAD spread: a
 *       daily rise is normal at its hour;
 *   <li><b>day of week</b>: the same for the same hour a week before ({@link SeasonalProfile}): a weekday's rise
 *       after a quiet weekend is normal on Monday morning too, once a week has been seen.
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
    /** Earlier excursions beyond the recent level's band that make their level a recurring part of the series. */
    static final int RECURRENCES = 2;

    public WindowHistory history = new WindowHistory();
    public SeasonalProfile hours = new SeasonalProfile();

    public MetricModel() {}

    public static MetricModel of(BaselineSettings settings) {
        MetricModel model = new MetricModel();
        model.history = WindowHistory.withCapacity(settings.historyWindows());
        model.hours = SeasonalProfile.withWindowsPerHour(settings.windowsPerHour());
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
        double sign = higherIsWorse ? 1 : -1;
        List<Band> bands = new ArrayList<>(5);
        int period = Periodicity.period(history.all());
        if (period > 0) {
            double expected = periodic(period, higherIsWorse);
            if (!Double.isNaN(expected)) {
                bands.add(new Band("every " + period + " windows", expected, RobustSpread.madSigma(learned, median)));
            }
        }
        if (bands.isEmpty()) {
            Band level = new Band("recent level", median, RobustSpread.madSigma(learned, median));
            bands.add(level);
            double edge = median + sign * allowance(level, settings.persistentZScore(), absoluteMinimum, settings);
            double excursion = RobustSpread.rankedFromWorst(
                    history.excursionsBeyond(edge, higherIsWorse), RECURRENCES, higherIsWorse);
            if (!Double.isNaN(excursion)) {
                bands.add(new Band("recurring excursion", excursion, 0));
            }
        }
        double yesterday = hours.yesterdayMedian();
        if (!Double.isNaN(yesterday)) {
            bands.add(new Band("hour of day", yesterday, hours.yesterdaySigma()));
        }
        double lastWeek = hours.lastWeekMedian();
        if (!Double.isNaN(lastWeek)) {
            bands.add(new Band("day of week", lastWeek, hours.lastWeekSigma()));
        }
        double persistentZ = settings.persistentZScore();
        boolean deviating = true;
        boolean extreme = true;
        Band lenient = null;
        double lenientEdge = 0;
        for (Band band : bands) {
            double worse = sign * (value - band.expected);
            double allowance = allowance(band, settings.minZScore(), absoluteMinimum, settings);
            deviating &= worse >= allowance(band, persistentZ, absoluteMinimum, settings);
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

    /** How far worse than {@code band}'s value a window may be at {@code z}: the band's half-width. */
    private static double allowance(Band band, double z, double absoluteMinimum, BaselineSettings settings) {
        double expected = band.expected;
        double sigma = Math.max(band.sigma, settings.minStdFraction() * Math.abs(expected));
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
