package dev.mplp.trace.functions;

import dev.mplp.trace.records.TraceEvent;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Sums up the {@code trace.metrics.collect} messages of one service in one window for
 * {@link ResourceWindowSummary}: how many, and the sum and maximum of the CPU and memory each reported (a message
 * may report one without the other). Constant size, whatever the number of samples.
 *
 * <p>The sums are exact ({@link BigDecimal}), so that the averages do not depend on the order the samples arrive in:
 * two runs over the same input give the same summaries to the last bit, however parallel subtasks interleave.
 *
 * <p>Use as {@code events.filter(WindowInputFilter.metricsSamples()).keyBy(ResourceWindowAggregate::key)
 * .window(TumblingEventTimeWindows.of(size)).aggregate(new ResourceWindowAggregate(), new ResourceWindowSummary())}.
 */
public class ResourceWindowAggregate
        implements AggregateFunction<TraceEvent, ResourceWindowAggregate.Accumulator, ResourceWindowAggregate.Accumulator> {

    /** The key: the service name. Messages without one must be filtered out before. */
    public static String key(TraceEvent event) {
        return event.serviceName;
    }

    @Override
    public Accumulator createAccumulator() {
        return new Accumulator();
    }

    @Override
    public Accumulator add(TraceEvent event, Accumulator acc) {
        acc.samples++;
        if (event.measurements != null) {
            Double cpu = event.measurements.cpuUsagePercent;
            if (cpu != null && Double.isFinite(cpu)) {
                acc.cpuSamples++;
                acc.cpuSum = acc.cpuSum.add(new BigDecimal(cpu));
                acc.cpuMax = acc.cpuSamples == 1 ? cpu : Math.max(acc.cpuMax, cpu);
            }
            Double memory = event.measurements.memoryUsageMb;
            if (memory != null && Double.isFinite(memory)) {
                acc.memorySamples++;
                acc.memorySum = acc.memorySum.add(new BigDecimal(memory));
                acc.memoryMax = acc.memorySamples == 1 ? memory : Math.max(acc.memoryMax, memory);
            }
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
        merged.samples = a.samples + b.samples;
        merged.cpuSamples = a.cpuSamples + b.cpuSamples;
        merged.cpuSum = a.cpuSum.add(b.cpuSum);
        merged.cpuMax = a.cpuSamples == 0 ? b.cpuMax : b.cpuSamples == 0 ? a.cpuMax : Math.max(a.cpuMax, b.cpuMax);
        merged.memorySamples = a.memorySamples + b.memorySamples;
        merged.memorySum = a.memorySum.add(b.memorySum);
        merged.memoryMax = a.memorySamples == 0
                ? b.memoryMax
                : b.memorySamples == 0 ? a.memoryMax : Math.max(a.memoryMax, b.memoryMax);
        return merged;
    }

    /** The samples of one service and window so far. A Flink POJO. */
    public static class Accumulator {
        /** Metrics messages, whatever they reported. */
        public long samples;
        public long cpuSamples;
        /** Exact. */
        public BigDecimal cpuSum = BigDecimal.ZERO;
        /** Meaningful only when {@code cpuSamples > 0}. */
        public double cpuMax;
        public long memorySamples;
        /** Exact. */
        public BigDecimal memorySum = BigDecimal.ZERO;
        /** Meaningful only when {@code memorySamples > 0}. */
        public double memoryMax;

        public Accumulator() {}
    }
}
