package dev.mplp.trace.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Percentiles of a histogram of whole milliseconds (value → count), as Flink's {@code Histogram} accumulator gives it.
 *
 * @param count values in the histogram
 * @param p50 the median; -1 when there are none
 * @param p99 the 99th percentile; -1 when there are none
 * @param max the largest value; -1 when there are none
 */
record Percentiles(long count, long p50, long p99, long max) {

    /** Percentiles of {@code histogram}; a null histogram (its accumulator never registered) counts as empty. */
    static Percentiles of(TreeMap<Integer, Integer> histogram) {
        if (histogram == null || histogram.isEmpty()) {
            return new Percentiles(0, -1, -1, -1);
        }
        long count = histogram.values().stream().mapToLong(Integer::longValue).sum();
        return new Percentiles(count, percentile(histogram, count, 0.50), percentile(histogram, count, 0.99),
                histogram.lastKey());
    }

    /** The smallest value with at least {@code fraction} of the counts at or below it. */
    private static long percentile(TreeMap<Integer, Integer> histogram, long count, double fraction) {
        long rank = (long) Math.ceil(fraction * count);
        long seen = 0;
        for (Map.Entry<Integer, Integer> entry : histogram.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return entry.getKey();
            }
        }
        return histogram.lastKey();
    }

    /** "p50 / p99 ms", or "none" when there were no values. */
    String p50AndP99() {
        return count == 0 ? "none" : p50 + " / " + p99 + " ms";
    }

    /** "p99 ms", or "none" when there were no values. */
    String p99Text() {
        return count == 0 ? "none" : p99 + " ms";
    }
}
