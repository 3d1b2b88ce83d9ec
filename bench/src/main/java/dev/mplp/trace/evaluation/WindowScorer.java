package dev.mplp.trace.evaluation;

import dev.mplp.trace.evaluation.LabelledSeries.Anomaly;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a detector's incidents on one labelled series, as the Numenta Anomaly Benchmark describes its scoring
 * (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection Algorithms", 2015), written from that description.
 *
 * <p>Each labelled anomaly has a scoring window: its labelled windows, at least {@link #MIN_WINDOW} long. Within
 * a scoring window only the first detection counts, rewarded by the scaled sigmoid σ(y) = 2 / (1 + e^(5y)) − 1 of
 * its relative position y = (t − end) / (end − start), which is −1 at the window's start (σ ≈ 0.99) and rises to
 * 0 at its end: early is better. A detection outside every window is a false positive: if it follows a window it
 * costs A_FP × σ(y) with y its distance after that window's end in window widths (less right after the window,
 * where the detection may be a late view of the same anomaly, up to A_FP); otherwise a full A_FP. A window
 * without detection costs A_FN. The weights are the standard application profile: A_TP = 1, A_FP = 0.11, A_FN =
 * 1. Detections in the probationary windows are not scored, nor those after the series' end (its operation
 * falling silent when the series stops is not part of it).
 *
 * <p>The normalised score of a set of series is 100 × (raw − null) / (perfect − null), with null the raw score of
 * a detector that finds nothing (−A_FN per window) and perfect that of one that finds each anomaly at its first
 * window: 0 is no better than silence, 100 perfect, a noisy detector goes negative.
 */
public final class WindowScorer {

    public static final double A_TP = 1.0;
    public static final double A_FP = 0.11;
    public static final double A_FN = 1.0;
    /** A scoring window covers at least this many windows: detection within 3 windows is on time. */
    public static final int MIN_WINDOW = 3;

    private WindowScorer() {}

    /** σ(y) = 2 / (1 + e^(5y)) − 1: 0.987 at y = −1, 0 at 0, towards −1 for large y. */
    public static double scaledSigmoid(double y) {
        return 2 / (1 + Math.exp(5 * y)) - 1;
    }

    /**
     * @param series the labels
     * @param detections the windows (index in the series) in which the detector opened an incident, in order
     * @param newNormals how many incidents of the series were resolved as a new normal
     */
    public static SeriesScore score(LabelledSeries series, List<Integer> detections, int newNormals) {
        List<Anomaly> anomalies = series.anomalies();
        int[] starts = new int[anomalies.size()];
        int[] ends = new int[anomalies.size()];
        for (int a = 0; a < anomalies.size(); a++) {
            starts[a] = anomalies.get(a).start();
            ends[a] = Math.max(anomalies.get(a).end(), starts[a] + MIN_WINDOW);
        }
        Integer[] firstDetection = new Integer[anomalies.size()];
        double raw = 0;
        int incidents = 0;
        int falsePositives = 0;
        List<Integer> falsePositiveWindows = new ArrayList<>();
        for (int t : detections) {
            if (t < series.probationWindows() || t >= series.windows()) {
                continue;
            }
            incidents++;
            int inside = -1;
            int before = -1;
            for (int a = 0; a < anomalies.size(); a++) {
                if (t >= starts[a] && t < ends[a]) {
                    inside = a;
                } else if (t >= ends[a]) {
                    before = a;
                }
            }
            if (inside >= 0) {
                if (firstDetection[inside] == null) {
                    firstDetection[inside] = t;
                    double y = (double) (t - ends[inside]) / (ends[inside] - starts[inside]);
                    raw += A_TP * scaledSigmoid(y);
                }
                continue;
            }
            falsePositives++;
            falsePositiveWindows.add(t);
            if (before >= 0) {
                double y = (double) (t - ends[before] + 1) / (ends[before] - starts[before]);
                raw += A_FP * scaledSigmoid(y);
            } else {
                raw -= A_FP;
            }
        }
        int found = 0;
        List<Integer> delays = new ArrayList<>();
        for (int a = 0; a < anomalies.size(); a++) {
            if (firstDetection[a] == null) {
                raw -= A_FN;
            } else {
                found++;
                delays.add(firstDetection[a] - starts[a]);
            }
        }
        double perfect = anomalies.size() * A_TP * scaledSigmoid(-1);
        double nothing = -anomalies.size() * A_FN;
        return new SeriesScore(
                series.name(), series.shape(), anomalies.size(), incidents, found, falsePositives, List.copyOf(delays),
                List.copyOf(falsePositiveWindows), newNormals, raw, perfect, nothing);
    }
}
