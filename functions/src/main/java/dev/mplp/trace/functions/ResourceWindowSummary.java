package dev.mplp.trace.functions;

import dev.mplp.trace.records.ServiceWindow;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns what {@link ResourceWindowAggregate} summed up for one service and window into its resource summary, a
 * {@link ServiceWindow} of kind {@link ServiceWindow#KIND_RESOURCE}: the number of metrics messages, and the
 * average and maximum CPU and memory over the messages that reported each (null where none did).
 */
public class ResourceWindowSummary
        extends ProcessWindowFunction<ResourceWindowAggregate.Accumulator, ServiceWindow, String, TimeWindow> {

    @Override
    public void process(
            String serviceName,
            Context ctx,
            Iterable<ResourceWindowAggregate.Accumulator> samples,
            Collector<ServiceWindow> out) {
        for (ResourceWindowAggregate.Accumulator acc : samples) {
            out.collect(summarize(serviceName, acc, ctx.window()));
        }
    }

    /** The resource summary of {@code serviceName} from {@code acc} over {@code window}. */
    public static ServiceWindow summarize(
            String serviceName, ResourceWindowAggregate.Accumulator acc, TimeWindow window) {
        ServiceWindow summary = new ServiceWindow();
        summary.kind = ServiceWindow.KIND_RESOURCE;
        summary.serviceName = serviceName;
        summary.windowStart = window.getStart();
        summary.windowEnd = window.getEnd();
        summary.metricsSamples = acc.samples;
        if (acc.cpuSamples > 0) {
            summary.cpuUsagePercentAvg = average(acc.cpuSum, acc.cpuSamples);
            summary.cpuUsagePercentMax = acc.cpuMax;
        }
        if (acc.memorySamples > 0) {
            summary.memoryUsageMbAvg = average(acc.memorySum, acc.memorySamples);
            summary.memoryUsageMbMax = acc.memoryMax;
        }
        return summary;
    }

    /** The exact sum over the count, rounded once to the nearest double. */
    private static double average(BigDecimal sum, long count) {
        return sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
    }
}
