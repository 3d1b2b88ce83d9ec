package dev.mplp.trace.evaluation;

import dev.mplp.trace.evaluation.LabelledSeries.Anomaly;
import dev.mplp.trace.evaluation.LabelledSeries.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the labelled series of every {@link Shape}, from a seed: the same seed gives the same series. A series is
 * in windows ({@link #WINDOWS_PER_HOUR} per hour, so a burst every 12th window is hourly) from a Monday, midnight
 * UTC; a daily shape covers three days and learns on the first, the weekly one eight days and learns on the first
 * seven, the others {@link #LENGTH} windows with {@link #PROBATION} to learn.
 */
public final class SeriesGenerator {

    public static final int WINDOWS_PER_HOUR = 12;
    public static final int WINDOWS_PER_DAY = 24 * WINDOWS_PER_HOUR;
    /** Windows of a series without daily seasonality. */
    public static final int LENGTH = 400;
    /** Windows a series without daily seasonality learns before it is scored. */
    public static final int PROBATION = 60;
    /** Where the anomaly of a non-daily series starts. */
    public static final int ANOMALY_AT = 250;

    private static final double LATENCY_MS = 120;
    private static final double SPANS = 30;

    private final long seed;

    public SeriesGenerator(long seed) {
        this.seed = seed;
    }

    /** One series of each shape. */
    public List<LabelledSeries> all() {
        List<LabelledSeries> series = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            series.add(of(shape));
        }
        return series;
    }

    /** The series of {@code shape}, from this generator's seed and the shape (so one shape alone is the same). */
    public LabelledSeries of(Shape shape) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + shape.ordinal());
        String name = "series-" + shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (shape) {
            case FLAT_NOISE -> latency(name, shape, noisy(rng, LENGTH, LATENCY_MS, 0.03), List.of());
            case NOISY -> latency(name, shape, noisy(rng, LENGTH, LATENCY_MS, 0.2), List.of());
            case DAILY_SEASONAL -> daily(name, shape, dailyRise(rng, 3 * WINDOWS_PER_DAY, false), List.of());
            case HOURLY_BURSTS -> latency(name, shape, hourlyBursts(rng, LENGTH), List.of());
            case BURSTY_LOW_FLOOR -> latency(name, shape, burstyFloor(rng, LENGTH), List.of());
            case SPIKE -> {
                double[] values = noisy(rng, LENGTH, LATENCY_MS, 0.03);
                values[ANOMALY_AT] *= 25;
                yield latency(name, shape, values, List.of(new Anomaly(ANOMALY_AT, ANOMALY_AT + 1, false)));
            }
            case LEVEL_SHIFT_UP -> {
                double[] values = noisy(rng, LENGTH, LATENCY_MS, 0.03);
                scale(values, ANOMALY_AT, LENGTH, 2);
                yield latency(name, shape, values, List.of(new Anomaly(ANOMALY_AT, LENGTH, true)));
            }
            case THROUGHPUT_SHIFT_DOWN -> {
                double[] values = noisy(rng, LENGTH, SPANS, 0.05);
                scale(values, ANOMALY_AT, LENGTH, 0.4);
                yield throughput(name, shape, values, List.of(new Anomaly(ANOMALY_AT, LENGTH, true)));
            }
            case DRIFT -> {
                double[] values = noisy(rng, LENGTH, LATENCY_MS, 0.03);
                for (int i = 0; i < 4; i++) {
                    values[ANOMALY_AT + i] *= 1 + 0.5 * (i + 1);
                }
                scale(values, ANOMALY_AT + 4, ANOMALY_AT + 12, 3);
                yield latency(name, shape, values, List.of(new Anomaly(ANOMALY_AT, ANOMALY_AT + 12, false)));
            }
            case NOISY_DOUBLING -> {
                double[] values = noisy(rng, LENGTH, LATENCY_MS, 0.2);
                scale(values, ANOMALY_AT, ANOMALY_AT + 11, 2);
                yield latency(name, shape, values, List.of(new Anomaly(ANOMALY_AT, ANOMALY_AT + 11, false)));
            }
            case BURSTY_FLOOR_SURGE -> {
                double[] values = burstyFloor(rng, LENGTH);
                for (int i = ANOMALY_AT; i < ANOMALY_AT + 6; i++) {
                    values[i] = 8 * FLOOR_MS * (1 + 0.05 * rng.nextGaussian());
                }
                yield latency(name, shape, values, List.of(new Anomaly(ANOMALY_AT, ANOMALY_AT + 6, false)));
            }
            case DAILY_WITH_SPIKE -> {
                double[] values = dailyRise(rng, 3 * WINDOWS_PER_DAY, false);
                int at = 2 * WINDOWS_PER_DAY + 2 * WINDOWS_PER_HOUR;
                scale(values, at, at + 3, 4);
                yield daily(name, shape, values, List.of(new Anomaly(at, at + 3, false)));
            }
            case HOURLY_WITH_SHIFT -> {
                double[] values = hourlyBursts(rng, LENGTH);
                int at = firstQuietWindowFrom(ANOMALY_AT);
                scale(values, at, at + 8, 2);
                yield latency(name, shape, values, List.of(new Anomaly(at, at + 8, false)));
            }
            case WEEKLY_SEASONAL -> new LabelledSeries(name, shape, Metric.LATENCY,
                    dailyRise(rng, 8 * WINDOWS_PER_DAY, true), List.of(), 7 * WINDOWS_PER_DAY + WINDOWS_PER_HOUR);
            case THROUGHPUT_DROP -> {
                double[] values = noisy(rng, LENGTH, SPANS, 0.05);
                scale(values, ANOMALY_AT, ANOMALY_AT + 6, 0.2);
                yield throughput(name, shape, values, List.of(new Anomaly(ANOMALY_AT, ANOMALY_AT + 6, false)));
            }
        };
    }

    private static final double FLOOR_MS = 25;
    private static final int BURST_PHASE = 5;

    private static LabelledSeries latency(String name, Shape shape, double[] values, List<Anomaly> anomalies) {
        return new LabelledSeries(name, shape, Metric.LATENCY, values, anomalies, PROBATION);
    }

    private static LabelledSeries throughput(String name, Shape shape, double[] values, List<Anomaly> anomalies) {
        return new LabelledSeries(name, shape, Metric.THROUGHPUT, values, anomalies, PROBATION);
    }

    private static LabelledSeries daily(String name, Shape shape, double[] values, List<Anomaly> anomalies) {
        return new LabelledSeries(name, shape, Metric.LATENCY, values, anomalies, WINDOWS_PER_DAY + WINDOWS_PER_HOUR);
    }

    /** A level with multiplicative Gaussian noise of relative deviation {@code sigma} (never below 5 % of it). */
    private static double[] noisy(SplittableRandom rng, int length, double level, double sigma) {
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = level * Math.max(0.05, 1 + sigma * rng.nextGaussian());
        }
        return values;
    }

    /**
     * 09:00 to 17:00 UTC (a ramp of two windows each way) ×2.5 over the night's level; with {@code weekdaysOnly}, not
     * on Saturdays and Sundays (the series starts on a Monday).
     */
    private static double[] dailyRise(SplittableRandom rng, int length, boolean weekdaysOnly) {
        double[] values = noisy(rng, length, LATENCY_MS, 0.03);
        int riseStart = 9 * WINDOWS_PER_HOUR;
        int riseEnd = 17 * WINDOWS_PER_HOUR;
        for (int i = 0; i < length; i++) {
            int phase = i % WINDOWS_PER_DAY;
            boolean weekend = i / WINDOWS_PER_DAY % 7 >= 5;
            double factor;
            if (phase < riseStart || phase >= riseEnd + 2 || weekdaysOnly && weekend) {
                factor = 1;
            } else if (phase < riseStart + 2) {
                factor = 1 + 1.5 * (phase - riseStart + 1) / 3.0;
            } else if (phase >= riseEnd) {
                factor = 1 + 1.5 * (riseEnd + 2 - phase) / 3.0;
            } else {
                factor = 2.5;
            }
            values[i] *= factor;
        }
        return values;
    }

    /** Every 12th window (phase 5 of the hour) a burst of 2 or 3 windows ×3. */
    private static double[] hourlyBursts(SplittableRandom rng, int length) {
        double[] values = noisy(rng, length, LATENCY_MS, 0.04);
        for (int hour = 0; hour * WINDOWS_PER_HOUR < length; hour++) {
            int start = hour * WINDOWS_PER_HOUR + BURST_PHASE;
            scale(values, start, Math.min(length, start + 2 + rng.nextInt(2)), 3);
        }
        return values;
    }

    /** The first window at or after {@code from} that is 4 windows after a burst's phase (8 quiet windows follow). */
    private static int firstQuietWindowFrom(int from) {
        int at = from;
        while (Math.floorMod(at - BURST_PHASE - 4, WINDOWS_PER_HOUR) != 0) {
            at++;
        }
        return at;
    }

    /** A floor of 25 ms with, in about one window in eight, a blip of 1 or 2 windows ×2.5 to ×4. */
    private static double[] burstyFloor(SplittableRandom rng, int length) {
        double[] values = noisy(rng, length, FLOOR_MS, 0.05);
        for (int i = 0; i < length; i++) {
            if (rng.nextInt(8) == 0) {
                int blip = 1 + rng.nextInt(2);
                double factor = 2.5 + 1.5 * rng.nextDouble();
                for (int j = i; j < Math.min(length, i + blip); j++) {
                    values[j] = FLOOR_MS * factor * (1 + 0.05 * rng.nextGaussian());
                }
                i += blip;
            }
        }
        return values;
    }

    private static void scale(double[] values, int from, int to, double factor) {
        for (int i = from; i < to; i++) {
            values[i] *= factor;
        }
    }
}
