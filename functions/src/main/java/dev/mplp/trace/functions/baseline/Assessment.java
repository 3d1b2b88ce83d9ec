package dev.mplp.trace.functions.baseline;

/**
 * How one window's value compares with what its metric's baselines expect.
 *
 * @param baseline the expected value of the baseline that explains the window best (the most lenient one)
 * @param edge that baseline's band edge for a single window: the alert's threshold
 * @param zScore how many of that baseline's robust standard deviations the value is worse than it
 * @param deviating worse than every baseline by the persistent bound: counts towards a mild deviation
 * @param extreme worse than every baseline by {@code extreme-factor} times its band, and than any learned window:
 *     an incident at once
 * @param pattern what the baseline is: {@code recent level}, {@code recurring excursion}, {@code every N windows},
 *     {@code hour of day}, {@code day of week}
 */
public record Assessment(
        double baseline, double edge, double zScore, boolean deviating, boolean extreme, String pattern) {}
