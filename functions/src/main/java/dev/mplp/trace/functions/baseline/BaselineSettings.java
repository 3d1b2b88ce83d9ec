package dev.mplp.trace.functions.baseline;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * How far a window must stray from its baselines, and how much history they keep; from
 * {@code detection.baseline} (see {@code conf/trace-analytics.yaml}) and the window size.
 *
 * @param warmUpWindows learned windows before a metric is compared at all
 * @param minRelativeChange the smallest deviation, as a fraction of the baseline
 * @param minZScore the smallest deviation of a single window, in the baseline's robust standard deviations
 * @param minStdFraction the robust standard deviation is at least this fraction of the baseline
 * @param extremeFactor a window at least this many times as far out as the band's edge is extreme
 * @param minDegradedWindows windows a mild deviation must last
 * @param historyWindows windows each metric keeps (the level, the short periods)
 * @param windowsPerHour windows in an hour (the hour-of-day profile's collection)
 */
public record BaselineSettings(
        int warmUpWindows,
        double minRelativeChange,
        double minZScore,
        double minStdFraction,
        double extremeFactor,
        int minDegradedWindows,
        int historyWindows,
        int windowsPerHour)
        implements Serializable {

    public static BaselineSettings of(TraceAnalyticsConfig.Detection detection) {
        TraceAnalyticsConfig.DetectionBaseline baseline = detection.baseline();
        long windowMillis = detection.windows().size().toMillis();
        return new BaselineSettings(
                baseline.warmUpWindows(),
                baseline.minRelativeChange(),
                baseline.minZScore(),
                baseline.minStdFraction(),
                baseline.extremeFactor(),
                baseline.minDegradedWindows(),
                baseline.historyWindows(),
                (int) Math.max(1, Duration.ofHours(1).toMillis() / windowMillis));
    }

    /**
     * The z-score each window of a mild deviation must reach: the mean of {@code minDegradedWindows} windows is
     * √n times as certain as one, so each needs {@code minZScore / √n}.
     */
    double persistentZScore() {
        return minZScore / Math.sqrt(minDegradedWindows);
    }
}
