package dev.mplp.trace.functions;

import dev.mplp.trace.records.ServiceWindow;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the spans {@link RedWindowAggregate} collected for one (service, operation) and window into its RED
 * summary, a {@link ServiceWindow} of kind {@link ServiceWindow#KIND_OPERATION}: span count, error span count,
 * throughput (spans per second of the window's length), error rate (percent of the spans that failed) and the
 * latency p50, p95, p99 and maximum of the spans' durations. The baseline fields stay null (the
 * {@link DegradationDetector} fills them in).
 *
 * <p>Percentiles are exact over the window's durations, by Commons Math's {@link Percentile} with the R-7 estimate
 * (linear interpolation between the closest ranks, as numpy and spreadsheets compute them). A span counts in the
 * window its end time falls in (the event time of its completion).
 */
public class RedWindowSummary
        extends ProcessWindowFunction<RedWindowAggregate.Accumulator, ServiceWindow, String, TimeWindow> {

    @Override
    public void process(
            String key, Context ctx, Iterable<RedWindowAggregate.Accumulator> spans, Collector<ServiceWindow> out) {
        for (RedWindowAggregate.Accumulator acc : spans) {
            if (acc.spanCount > 0) {
                out.collect(summarize(acc, ctx.window()));
            }
        }
    }

    /** The RED summary of {@code acc}'s spans over {@code window}. */
    public static ServiceWindow summarize(RedWindowAggregate.Accumulator acc, TimeWindow window) {
        ServiceWindow summary = new ServiceWindow();
        summary.kind = ServiceWindow.KIND_OPERATION;
        summary.serviceName = acc.serviceName;
        summary.operationName = acc.operationName;
        summary.windowStart = window.getStart();
        summary.windowEnd = window.getEnd();
        summary.spanCount = acc.spanCount;
        summary.errorSpanCount = acc.errorSpanCount;
        summary.throughputOpsPerSec = acc.spanCount * 1000.0 / (window.getEnd() - window.getStart());
        summary.errorRatePercent = acc.errorSpanCount * 100.0 / acc.spanCount;
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        percentile.setData(acc.durations());
        summary.latencyP50Ms = percentile.evaluate(50);
        summary.latencyP95Ms = percentile.evaluate(95);
        summary.latencyP99Ms = percentile.evaluate(99);
        summary.latencyMaxMs = percentile.evaluate(100);
        return summary;
    }
}
