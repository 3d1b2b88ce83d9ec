package dev.mplp.trace.evaluation;

import java.util.List;

/**
 * One synthetic operation's metric, one value per detection window, with the windows a human would call anomalous.
 *
 * @param name the series' name, also its operation name in the replayed traffic
 * @param shape what the series shows
 * @param metric the metric that carries the shape (the other metrics stay steady)
 * @param values the metric's value per window: latency p95 in ms, or spans per window for throughput
 * @param anomalies the labelled anomalies, in window order, none overlapping, none before {@code probationWindows}
 * @param probationWindows the first windows, in which the detector learns: alerts there are not scored
 */
public record LabelledSeries(
        String name, Shape shape, Metric metric, double[] values, List<Anomaly> anomalies, int probationWindows) {

    /** The metric a series shapes; the replay keeps the other one steady. */
    public enum Metric {
        /** Latency p95 in ms, with a steady span count per window. Higher is worse. */
        LATENCY,
        /** Spans per window, with a steady latency. Lower is worse. */
        THROUGHPUT
    }

    /**
     * Labelled anomalous windows {@code [start, end)}.
     *
     * @param levelShift true when the change lasts to the end of the series: it should open one incident that the
     *     detector later accepts as a new normal
     */
    public record Anomaly(int start, int end, boolean levelShift) {
        public Anomaly {
            if (end <= start) {
                throw new IllegalArgumentException("an anomaly covers at least one window: " + start + ".." + end);
            }
        }
    }

    public int windows() {
        return values.length;
    }
}
