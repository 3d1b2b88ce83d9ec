package dev.mplp.trace.functions;

import dev.mplp.trace.records.CompletedSpan;
import java.util.Arrays;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Collects the completed spans of one (service, operation) in one window for {@link RedWindowSummary}: the count,
 * the failed ones and every duration (the percentiles are exact, computed once when the window fires).
 *
 * <p>Use as {@code spans.filter(WindowInputFilter.completedSpans()).keyBy(RedWindowAggregate::key)
 * .window(TumblingEventTimeWindows.of(size)).aggregate(new RedWindowAggregate(), new RedWindowSummary())}.
 *
 * <p><b>Memory.</b> The accumulator keeps one {@code double} (8 bytes) per span of the key and window, until the
 * window fires: 60 spans a second on one operation and a one-minute window hold about 29 KB for that key. On the
 * RocksDB state backend every span reads and rewrites the whole accumulator, so the cost per span grows with the
 * spans already in the window; for operations with many thousands of spans per window prefer the heap backend or
 * shorter windows.
 */
public class RedWindowAggregate
        implements AggregateFunction<CompletedSpan, RedWindowAggregate.Accumulator, RedWindowAggregate.Accumulator> {

    /**
     * The key of a (service, operation): unambiguous whatever characters the names hold (the service name is
     * length-prefixed). Use as {@code keyBy(RedWindowAggregate::key)}; spans without a service or operation must be
     * filtered out before ({@link WindowInputFilter#completedSpans()}).
     */
    public static String key(CompletedSpan span) {
        return key(span.serviceName, span.operationName);
    }

    /** The same key from the names, as {@link DegradationDetector#key} finds it on a window. */
    public static String key(String serviceName, String operationName) {
        return serviceName.length() + ":" + serviceName + "/" + operationName;
    }

    @Override
    public Accumulator createAccumulator() {
        return new Accumulator();
    }

    @Override
    public Accumulator add(CompletedSpan span, Accumulator acc) {
        if (acc.serviceName == null) {
            acc.serviceName = span.serviceName;
            acc.operationName = span.operationName;
        }
        acc.append(span.durationMs);
        if (span.error) {
            acc.errorSpanCount++;
        }
        return acc;
    }

    @Override
    public Accumulator getResult(Accumulator acc) {
        return acc;
    }

    @Override
    public Accumulator merge(Accumulator a, Accumulator b) {
        Accumulator merged = new Accumulator();
        merged.serviceName = a.serviceName != null ? a.serviceName : b.serviceName;
        merged.operationName = a.serviceName != null ? a.operationName : b.operationName;
        merged.durationsMs = Arrays.copyOf(a.durationsMs, a.spanCount + b.spanCount);
        System.arraycopy(b.durationsMs, 0, merged.durationsMs, a.spanCount, b.spanCount);
        merged.spanCount = a.spanCount + b.spanCount;
        merged.errorSpanCount = a.errorSpanCount + b.errorSpanCount;
        return merged;
    }

    /** The spans of one key and window so far. A Flink POJO. */
    public static class Accumulator {
        public String serviceName;
        public String operationName;
        public int spanCount;
        public long errorSpanCount;
        /** The durations of the spans, in ms; only the first {@code spanCount} entries are used (it grows by half). */
        public double[] durationsMs = new double[0];

        public Accumulator() {}

        void append(double durationMs) {
            if (spanCount == durationsMs.length) {
                durationsMs = Arrays.copyOf(durationsMs, Math.max(8, spanCount + (spanCount >> 1)));
            }
            durationsMs[spanCount++] = durationMs;
        }

        /** The durations of the spans, in arrival order. */
        public double[] durations() {
            return Arrays.copyOf(durationsMs, spanCount);
        }
    }
}
