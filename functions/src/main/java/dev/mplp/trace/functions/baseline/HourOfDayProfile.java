package dev.mplp.trace.functions.baseline;

import java.time.Duration;
import java.util.Arrays;

/**
 * A metric's level per UTC hour of the previous day: the median and MAD spread of the windows of each hour,
 * computed when the hour ends. A window is compared with the same hour of the previous day, so that a daily rise is
 * no degradation. Bounded: 4 × 24 numbers and one hour's windows. A Flink POJO.
 */
public class HourOfDayProfile {
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    private static final int HOURS = 24;

    /** The hour (since the epoch) of the values being collected; MIN_VALUE before the first. */
    public long hour = Long.MIN_VALUE;
    /** The current hour's values. */
    public WindowHistory currentHour = new WindowHistory();
    public double[] todayMedian = emptyDay();
    public double[] todaySigma = emptyDay();
    public double[] yesterdayMedian = emptyDay();
    public double[] yesterdaySigma = emptyDay();

    public HourOfDayProfile() {}

    public static HourOfDayProfile withWindowsPerHour(int windowsPerHour) {
        HourOfDayProfile profile = new HourOfDayProfile();
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
            int hourOfDay = (int) Math.floorMod(hour, HOURS);
            if (values.length > 0) {
                todayMedian[hourOfDay] = RobustSpread.median(values);
                todaySigma[hourOfDay] = RobustSpread.madSigma(values, todayMedian[hourOfDay]);
            }
            long day = Math.floorDiv(hour, HOURS);
            long newDay = Math.floorDiv(now, HOURS);
            if (newDay != day) {
                yesterdayMedian = newDay == day + 1 ? todayMedian : emptyDay();
                yesterdaySigma = newDay == day + 1 ? todaySigma : emptyDay();
                todayMedian = emptyDay();
                todaySigma = emptyDay();
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
        return yesterdayMedian[(int) Math.floorMod(hour, HOURS)];
    }

    /** The previous day's MAD spread of the current hour, NaN when unknown. */
    public double yesterdaySigma() {
        return yesterdaySigma[(int) Math.floorMod(hour, HOURS)];
    }

    private static double[] emptyDay() {
        double[] day = new double[HOURS];
        Arrays.fill(day, Double.NaN);
        return day;
    }
}
