package dev.mplp.trace.bench;

/**
 * One row of the benchmark's table.
 *
 * @param section the measurement it belongs to ({@code 1 ceiling}, {@code 2 streaming}, ...)
 * @param measure what was measured, e.g. "Jackson readTree, 1 thread"
 * @param value the figure with its unit, or why there is none
 * @param note how it was measured or what to read into it; may be empty
 */
public record Figure(String section, String measure, String value, String note) {

    static Figure of(String section, String measure, String value, String note) {
        return new Figure(section, measure, value, note);
    }

    static String rate(double perSecond, String unit) {
        return String.format("%,.0f %s", perSecond, unit);
    }

    static String bytes(double bytes) {
        return String.format("%,.0f B", bytes);
    }
}
