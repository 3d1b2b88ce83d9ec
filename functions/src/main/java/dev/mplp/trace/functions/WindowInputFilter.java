package dev.mplp.trace.functions;

import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;

/**
 * Lets through what the window summaries can key, and counts in a metric what they must skip because it names no
 * service: a key cannot be null, and a record without its service belongs to no summary. Put it before the
 * {@code keyBy} of {@link RedWindowAggregate} ({@link #completedSpans()}) and {@link ResourceWindowAggregate}
 * ({@link #metricsSamples()}).
 */
public class WindowInputFilter<T> extends RichFilterFunction<T> {

    /** A serializable condition on a record. */
    @FunctionalInterface
    public interface Condition<T> extends Serializable {
        boolean holds(T value);
    }

    private final Condition<T> input;
    private final Condition<T> named;
    private final String skippedMetric;
    private transient Counter skipped;

    private WindowInputFilter(Condition<T> input, Condition<T> named, String skippedMetric) {
        this.input = input;
        this.named = named;
        this.skippedMetric = skippedMetric;
    }

    /**
     * Completed spans with a service and an operation name; the others (a span whose start was never seen) are
     * counted in {@code completedSpansWithoutService}.
     */
    public static WindowInputFilter<CompletedSpan> completedSpans() {
        return new WindowInputFilter<>(
                span -> true,
                span -> span.serviceName != null && span.operationName != null,
                "completedSpansWithoutService");
    }

    /**
     * {@code trace.metrics.collect} messages with their service; other message types are not resource samples and
     * are dropped uncounted, metrics messages without a service are counted in {@code metricsWithoutService}.
     */
    public static WindowInputFilter<TraceEvent> metricsSamples() {
        return new WindowInputFilter<>(
                event -> event.messageType == MessageType.METRICS,
                event -> event.serviceName != null,
                "metricsWithoutService");
    }

    @Override
    public void open(OpenContext openContext) {
        skipped = getRuntimeContext().getMetricGroup().counter(skippedMetric);
    }

    @Override
    public boolean filter(T value) {
        if (!input.holds(value)) {
            return false;
        }
        if (!named.holds(value)) {
            skipped.inc();
            return false;
        }
        return true;
    }
}
