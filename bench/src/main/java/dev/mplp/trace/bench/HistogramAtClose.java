package dev.mplp.trace.bench;

import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * A histogram accumulator (whole milliseconds) counted on the task thread and handed to Flink when the function
 * closes. A registered accumulator is serialized for the task manager's heartbeats from another thread, and a
 * histogram (a {@code TreeMap}) changed meanwhile fails that serialization ({@code ConcurrentModificationException},
 * "Cannot update accumulators" in the log); the final values, which the benchmark reads, are taken after the close.
 */
final class HistogramAtClose {

    private final Histogram registered = new Histogram();
    private final Histogram counting = new Histogram();

    HistogramAtClose(RuntimeContext context, String name) {
        context.addAccumulator(name, registered);
    }

    void add(long millis) {
        counting.add((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, millis)));
    }

    /** Call from the function's {@code close()}. */
    void handOver() {
        registered.merge(counting);
    }
}
