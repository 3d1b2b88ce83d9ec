package dev.mplp.trace.functions.baseline;

import java.time.Duration;
import java.util.Arrays;

/**
 * A metric's level per UTC hour over the last week: the median and MAD spread of the windows of each hour, kept
 * when the hour ends, in a ring of the 168 hours of a week. A window is compared with the same hour of the previous
 * day (a daily rise is no degradation) and with the same hour of the same weekday a week before (nor is Monday
 * morning's rise after a quiet Sunday). Bounded: 2 × 168 numbers and one hour's windows. A Flink POJO.
 */
public class SeasonalProfile {
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    private static final int HOURS_PER_DAY = 24;
    private static final int HOURS_PER_WEEK = 7 * HOURS_PER_DAY;

    /** The hour (since the epoch) of the values being collected; MIN_VALUE before the first. */
    public long hour = Long.MIN_VALUE;
    /** The current hour's values. */
    public WindowHistory currentHour = new WindowHistory();
    /**
     * Per slot (hour since the epoch modulo 168), the median of that hour's windows; NaN for an hour without
     * windows or not yet seen. Floats: the half of the state a double would add is no gain in precision that
     * matters against a band.
     */
    public float[] median = emptyWeek();
    /** Per slot, the MAD spread of that hour's windows. */
    public float[] sigma = emptyWeek();

    public SeasonalProfile() {}

    public static SeasonalProfile withWindowsPerHour(int windowsPerHour) {
        SeasonalProfile profile = new SeasonalProfile();
        profile.currentHour = WindowHistory.withCapacity(Math.max(1, windowsPerHour));
        return profile;
    }

    /** Moves to the hour of {@code windowStart} (epoch ms), closing the hours before it. */
    public void advanceTo(long windowStart) {
        long now = Math.floorDiv(windowStart, HOUR_MILLIS);
        if (now == hour) {
            return;
        }
        if (hour != Long.MIN_VALUE) {
            double[] values = currentHour.all();
            int slot = slot(hour);
            median[slot] = Float.NaN;
            sigma[slot] = Float.NaN;
            if (values.length > 0) {
                double hourMedian = RobustSpread.median(values);
                median[slot] = (float) hourMedian;
                sigma[slot] = (float) RobustSpread.madSigma(values, hourMedian);
            }
            // the hours without a window in between, up to a week of them, are unknown
            for (long skipped = hour + 1; skipped < now && skipped <= hour + HOURS_PER_WEEK; skipped++) {
                median[slot(skipped)] = Float.NaN;
                sigma[slot(skipped)] = Float.NaN;
            }
        }
        currentHour.clear();
        hour = now;
    }

    /** Collects a window's value of the current hour. */
    public void add(double value) {
        currentHour.add(value, true);
    }

    /** The previous day's median of the current hour, NaN when unknown. */
    public double yesterdayMedian() {
        return median[slot(hour - HOURS_PER_DAY)];
    }

    /** The previous day's MAD spread of the current hour, NaN when unknown. */
    public double yesterdaySigma() {
        return sigma[slot(hour - HOURS_PER_DAY)];
    }

    /** The median of the current hour a week before (the slot is overwritten only when this hour ends). */
    public double lastWeekMedian() {
        return median[slot(hour)];
    }

    /** The MAD spread of the current hour a week before. */
    public double lastWeekSigma() {
        return sigma[slot(hour)];
    }

    private static int slot(long hour) {
        return (int) Math.floorMod(hour, HOURS_PER_WEEK);
    }

    private static float[] emptyWeek() {
        float[] week = new float[HOURS_PER_WEEK];
        Arrays.fill(week, Float.NaN);
        return week;
    }
}
