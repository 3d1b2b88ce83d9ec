package dev.mplp.trace.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console for a job run that also notes, with the wall-clock time, the progress lines the job prints every few
 * seconds ({@code … read 12,345 · accepted …}, from its accumulators), so that the rate while the job is reading can
 * be told apart from its fixed costs (cluster start, the final checkpoint, stop). The source cannot read much faster
 * than the job processes (backpressure bounds what is in flight), so the reading rate is the job's rate.
 */
final class ProgressRate extends PrintStream {

    private static final Pattern READ = Pattern.compile("read ([0-9,]+) ·");

    /** A progress line: {@code read} records by {@code nanos}. */
    private record Point(long nanos, long read) {}

    private final List<Point> points = new ArrayList<>();

    ProgressRate(PrintStream console) {
        super(console, true);
    }

    @Override
    public void println(String line) {
        Matcher read = READ.matcher(line == null ? "" : line);
        if (read.find()) {
            synchronized (points) {
                points.add(new Point(System.nanoTime(), Long.parseLong(read.group(1).replace(",", ""))));
            }
        }
        super.println(line);
    }

    /** Records read by the latest progress line; 0 before the first. */
    long lastRead() {
        synchronized (points) {
            return points.isEmpty() ? 0 : points.get(points.size() - 1).read();
        }
    }

    /**
     * Records per second between the first progress line that saw at least {@code from} records read and the last
     * one that saw at most {@code to}; NaN when fewer than two lines are in between.
     */
    double rateBetween(long from, long to) {
        synchronized (points) {
            List<Point> between = points.stream().filter(p -> p.read() >= from && p.read() <= to).toList();
            if (between.size() < 2) {
                return Double.NaN;
            }
            Point first = between.get(0);
            Point last = between.get(between.size() - 1);
            return (last.read() - first.read()) / ((last.nanos() - first.nanos()) / 1e9);
        }
    }

    /**
     * Records per second between the first progress line that saw records read and the last one before all of
     * {@code total} were; NaN when there were fewer than two such lines (a run too short to tell).
     */
    double readingRate(long total) {
        return rateBetween(1, total - 1);
    }
}
