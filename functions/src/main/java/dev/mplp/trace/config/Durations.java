package dev.mplp.trace.config;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;

/**
 * The one duration grammar of the configuration, the command line and the generator's fault specs: Flink's own
 * ({@link TimeUtils}), a number and a unit ({@code 500ms}, {@code 30s}, {@code 5min} or {@code 5m}, {@code 2h},
 * {@code 1d}); a number without a unit is milliseconds, as in Flink's {@code config.yaml}.
 */
public final class Durations {

    /** For error messages. */
    public static final String EXAMPLES = "examples: 500ms, 30s, 5min, 2h; a bare number is milliseconds";

    private Durations() {}

    /** @throws IllegalArgumentException naming {@code text} and the grammar */
    public static Duration parse(String text) {
        try {
            return TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXAMPLES + ")", e);
        }
    }

    /** The text {@link #parse} reads back, in the largest unit that keeps it whole: {@code 90s}, {@code 1min}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        return TimeUtils.formatWithHighestUnit(duration).replace(" ", "");
    }
}
