package dev.mplp.trace.jobs;

import dev.mplp.trace.config.Durations;
import java.time.Duration;

/**
 * The progress lines of a running job: each with the read rate since the start and, where the total is known, about
 * how long is left; a line that says nothing new is not printed again.
 */
final class ProgressLines {

    private final long startNanos;
    private final long total;
    private String last;

    /** @param total messages the run will read, or -1 when it is not known ahead */
    ProgressLines(long startNanos, long total) {
        this.startNanos = startNanos;
        this.total = total;
    }

    /** @return the line to print for {@code line} with {@code read} messages read at {@code nowNanos}; null if none */
    String next(String line, long read, long nowNanos) {
        if (line.equals(last)) {
            return null;
        }
        last = line;
        double seconds = (nowNanos - startNanos) / 1e9;
        double rate = seconds > 0 ? read / seconds : 0;
        StringBuilder out = new StringBuilder(line).append(String.format(" · %,.0f msg/s", rate));
        if (total > 0 && rate > 0 && read < total) {
            out.append(" · about ")
                    .append(Durations.format(Duration.ofSeconds(Math.max(1, Math.round((total - read) / rate)))))
                    .append(" left");
        }
        return out.toString();
    }
}
