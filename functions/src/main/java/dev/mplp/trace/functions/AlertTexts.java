package dev.mplp.trace.functions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** How the patterns write numbers and durations in alert messages. */
public final class AlertTexts {

    private AlertTexts() {}

    /** {@code 80}, {@code 92.5}: no trailing zeros, no exponent. */
    public static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code 1h}, {@code 90s}, {@code 1h30m}. */
    public static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** How far {@code value} is from {@code reference}, in percent of it, to two decimals; null for a zero reference. */
    public static Double deviationPercent(double value, double reference) {
        if (reference == 0) {
            return null;
        }
        return Math.round((value - reference) / Math.abs(reference) * 10_000) / 100.0;
    }
}
