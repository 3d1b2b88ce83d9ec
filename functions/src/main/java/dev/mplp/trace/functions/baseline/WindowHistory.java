package dev.mplp.trace.functions.baseline;

import java.util.Arrays;

/**
 * The last {@code capacity} values of one metric, one per evaluated window, oldest first once full, each marked
 * learned or not (a window of an open incident is kept, for the seasonal patterns, but not learned as normal). A
 * bounded ring: the state of a key never grows past it. A Flink POJO.
 */
public class WindowHistory {
    public double[] values = new double[0];
    public boolean[] learned = new boolean[0];
    /** Values held, at most the capacity. */
    public int size;
    /** The slot the next value goes to. */
    public int next;

    public WindowHistory() {}

    public static WindowHistory withCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a history holds at least one window, not " + capacity);
        }
        WindowHistory history = new WindowHistory();
        history.values = new double[capacity];
        history.learned = new boolean[capacity];
        return history;
    }

    public void add(double value, boolean learn) {
        values[next] = value;
        learned[next] = learn;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The value {@code back} windows ago (1: the latest), NaN beyond the history. */
    public double back(int back) {
        if (back < 1 || back > size) {
            return Double.NaN;
        }
        return values[Math.floorMod(next - back, values.length)];
    }

    /** Every value held, oldest first. */
    public double[] all() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = back(size - i);
        }
        return out;
    }

    /** The learned values, oldest first. */
    public double[] learnedValues() {
        double[] out = new double[size];
        int n = 0;
        for (int i = size; i >= 1; i--) {
            int slot = Math.floorMod(next - i, values.length);
            if (learned[slot]) {
                out[n++] = values[slot];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The series' excursions beyond {@code edge} (above it, or below when lower is worse), oldest first: each run of
     * consecutive windows beyond it counts once, by its least extreme value, whether it was learned (a burst inside
     * a wider band, a daily peak) or not (a past incident); the latest run not learned (the deviation going on, if
     * any) is left out.
     */
    public double[] excursionsBeyond(double edge, boolean higherIsWorse) {
        int current = 0;
        while (current < size && !learned[Math.floorMod(next - current - 1, values.length)]) {
            current++;
        }
        double sign = higherIsWorse ? 1 : -1;
        double[] out = new double[size];
        int n = 0;
        boolean inRun = false;
        for (int back = size; back > current; back--) {
            double value = back(back);
            if (sign * (value - edge) < 0) {
                inRun = false;
            } else if (!inRun) {
                out[n++] = value;
                inRun = true;
            } else if (sign * (value - out[n - 1]) < 0) {
                out[n - 1] = value;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Marks the latest {@code latest} windows learned. */
    public void learnLatest(int latest) {
        for (int i = 1; i <= Math.min(latest, size); i++) {
            learned[Math.floorMod(next - i, values.length)] = true;
        }
    }

    /** Marks every window not learned (the values stay, for the periods). */
    public void forgetAll() {
        Arrays.fill(learned, false);
    }

    public void clear() {
        size = 0;
        next = 0;
    }
}
