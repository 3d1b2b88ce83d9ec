package dev.mplp.trace.generator;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compact durations as the fault syntax writes them: one or more {@code NUMBER UNIT} parts with the units {@code d},
 * {@code h}, {@code m}, {@code s}, {@code ms}, largest first ({@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}).
 * {@link #format} writes the canonical form, which {@link #parse} reads back to the same value.
 */
final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|d|h|m|s)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private DurationText() {}

    /** Parses {@code text}; the message of the exception names it and shows examples. */
    static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration (examples: 500ms, 30s, 2m, 1m30s, 1h)");
        }
        Matcher m = PART.matcher(text);
        int position = 0;
        int lastUnit = -1;
        long millis = 0;
        while (position < text.length()) {
            if (!m.find(position) || m.start() != position) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a duration (examples: 500ms, 30s, 2m, 1m30s, 1h)");
            }
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException("'" + text
                        + "' is not a duration: write its units once each, largest first (like 1m30s)");
            }
            lastUnit = unit;
            millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), UNIT_MILLIS[unit]));
            position = m.end();
        }
        return Duration.ofMillis(millis);
    }

    /** The canonical text of {@code duration}, cut to whole milliseconds ({@code 0s} for zero). */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            long count = millis / UNIT_MILLIS[i];
            if (count > 0) {
                text.append(count).append(UNITS[i]);
                millis -= count * UNIT_MILLIS[i];
            }
        }
        return text.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }
}
