package dev.mplp.trace.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * A keyed function's inputs waiting for the watermark, by event time, with one event-time timer per distinct time:
 * inputs that reach a key from several upstream subtasks, in an order that varies from run to run, are taken in
 * event-time order (ties in a fixed order) once the watermark passes them, so every run applies them alike. An
 * input at or behind the watermark waits for the next instant.
 */
public final class EventTimeBuffer<T> {

    private final MapState<Long, List<T>> waiting;

    /** Keyed state named {@code name} in the function's runtime context. */
    public EventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type) {
        this.waiting = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, Types.LIST(type)));
    }

    /** Holds {@code input} until the watermark passes {@code at}; registers the timer that releases it. */
    public void add(T input, long at, TimerService timers) throws Exception {
        long due = Math.max(at, timers.currentWatermark() + 1);
        List<T> atTime = waiting.get(due);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            timers.registerEventTimeTimer(due);
        }
        atTime.add(input);
        waiting.put(due, atTime);
    }

    /** The inputs due at {@code at} (the timer's time) in {@code order}, taken out of the buffer; empty if none. */
    public List<T> take(long at, Comparator<? super T> order) throws Exception {
        List<T> due = waiting.get(at);
        if (due == null) {
            return List.of();
        }
        waiting.remove(at);
        due.sort(order);
        return due;
    }

    /** True when inputs wait for {@code at}: their timer is there. */
    public boolean waitsFor(long at) throws Exception {
        return waiting.contains(at);
    }

    /**
     * True when the instant {@code at} of a housekeeping deadline has come, in the timer firing at {@code now}: that
     * timer is the deadline's, or the watermark has already passed it with no input waiting at or before it. The
     * second is the end of a bounded input, where a batch run fires no timer registered then: the deadline is met
     * there as of its own instant, as a streaming run would meet it.
     */
    public boolean hasCome(long at, long now, TimerService timers) throws Exception {
        return now >= at || (timers.currentWatermark() >= at && !waitsAtOrBefore(at));
    }

    /** The first waiting input that {@code wanted} accepts, in no particular order; null when none does. */
    public T find(Predicate<? super T> wanted) throws Exception {
        for (List<T> atTime : waiting.values()) {
            for (T input : atTime) {
                if (wanted.test(input)) {
                    return input;
                }
            }
        }
        return null;
    }

    /** True when an input waits for {@code at} or earlier. */
    public boolean waitsAtOrBefore(long at) throws Exception {
        for (Long waitingAt : waiting.keys()) {
            if (waitingAt <= at) {
                return true;
            }
        }
        return false;
    }
}
