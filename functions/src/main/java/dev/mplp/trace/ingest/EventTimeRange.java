package dev.mplp.trace.ingest;

import java.io.Serializable;
import java.time.Instant;

/**
 * A half-open range of event time, {@code [from, to)}, that a reprocessing run covers; either end may be open
 * (null).
 */
public record EventTimeRange(Instant from, Instant to) implements Serializable {

    /** Every event time: the streaming job's range. */
    public static final EventTimeRange ALL = new EventTimeRange(null, null);

    public EventTimeRange {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the range is empty: --from " + from + " is not before --to " + to);
        }
    }

    public boolean isAll() {
        return from == null && to == null;
    }

    public boolean contains(long epochMillis) {
        return (from == null || epochMillis >= from.toEpochMilli()) && (to == null || epochMillis < to.toEpochMilli());
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "-inf" : from) + ", " + (to == null ? "+inf" : to) + ")";
    }
}
