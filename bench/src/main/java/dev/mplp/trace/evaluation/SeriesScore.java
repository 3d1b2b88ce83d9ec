package dev.mplp.trace.evaluation;

import java.util.List;

/**
 * How a detector did on one series ({@link WindowScorer}).
 *
 * @param anomalies labelled anomalies
 * @param incidents incidents opened in the scored windows (after the probation, before the series' end)
 * @param found anomalies with a detection inside their scoring window
 * @param falsePositives scored detections outside every scoring window
 * @param delays per found anomaly, the windows from its start to its first detection (0: in its first window)
 * @param falsePositiveWindows the windows of the false positives
 * @param newNormals incidents resolved as a new normal
 * @param raw the NAB raw score
 * @param perfect the raw score of a detector that finds each anomaly in its first window and nothing else
 * @param nothing the raw score of a detector that finds nothing
 */
public record SeriesScore(
        String series,
        Shape shape,
        int anomalies,
        int incidents,
        int found,
        int falsePositives,
        List<Integer> delays,
        List<Integer> falsePositiveWindows,
        int newNormals,
        double raw,
        double perfect,
        double nothing) {

    /** Found anomalies over found anomalies plus false positives; 1 when there was nothing to say and none said. */
    public double precision() {
        int said = found + falsePositives;
        return said == 0 ? 1 : (double) found / said;
    }

    /** Found anomalies over labelled ones; 1 for a series without anomalies. */
    public double recall() {
        return anomalies == 0 ? 1 : (double) found / anomalies;
    }

    /** The largest delay of a found anomaly, or -1 when none was found. */
    public int maxDelay() {
        return delays.stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** NAB's normalised score over several series: 100 × (raw − null) / (perfect − null); NaN without anomalies. */
    public static double normalised(List<SeriesScore> scores) {
        double raw = 0;
        double perfect = 0;
        double nothing = 0;
        for (SeriesScore score : scores) {
            raw += score.raw;
            perfect += score.perfect;
            nothing += score.nothing;
        }
        return perfect == nothing ? Double.NaN : 100 * (raw - nothing) / (perfect - nothing);
    }
}
