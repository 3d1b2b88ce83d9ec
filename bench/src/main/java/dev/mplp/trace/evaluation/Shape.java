package dev.mplp.trace.evaluation;

/** The shapes of operational series that the detector must learn as normal, or report as anomalous. */
public enum Shape {
    FLAT_NOISE("steady level with mild noise, no anomaly"),
    NOISY("large window-to-window noise, no anomaly"),
    DAILY_SEASONAL("a daily rise and fall, no anomaly"),
    HOURLY_BURSTS("a burst every 12th window, 2 to 3 windows long, no anomaly"),
    BURSTY_LOW_FLOOR("a low floor with frequent short blips, no anomaly"),
    SPIKE("one window ×25"),
    LEVEL_SHIFT_UP("latency doubles for good"),
    THROUGHPUT_SHIFT_DOWN("throughput falls to 40 % for good"),
    DRIFT("latency ramps up to ×3 over 4 windows, stays 8, returns"),
    NOISY_DOUBLING("a noisy series doubles for 11 windows"),
    BURSTY_FLOOR_SURGE("a bursty low floor rises ×8 for 6 windows"),
    DAILY_WITH_SPIKE("a daily rise and fall with a ×4 latency spike of 3 windows at night"),
    HOURLY_WITH_SHIFT("hourly bursts with a doubling of 8 windows between bursts"),
    THROUGHPUT_DROP("throughput falls to a fifth for 6 windows"),
    WEEKLY_SEASONAL("a daily rise and fall on weekdays only, no anomaly (Monday's rise follows a quiet Sunday)");

    public final String description;

    Shape(String description) {
        this.description = description;
    }

    /** True for the shapes without a labelled anomaly. */
    public boolean normalOnly() {
        return ordinal() <= BURSTY_LOW_FLOOR.ordinal() || this == WEEKLY_SEASONAL;
    }
}
