package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.Environments;
import dev.mplp.trace.jobs.TracePipeline;
import dev.mplp.trace.records.RawMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Ingest-to-alert latency at a given message rate: a paced live feed ({@link PacedTraffic}) through the job's own
 * {@link TracePipeline} on the embedded Flink, a {@link LatencyProbe} right after the detectors. The feed injects
 * an error fault on every service so that threshold alerts are frequent enough for a p99.
 */
final class IngestToAlertLatency {

    /** Every span of every service fails half its operations: each span's first update breaches the error rate. */
    static final List<String> FAULTS = List.of("errors:*:fraction=0.5");

    /**
     * @param messagesPerSecond the feed's average message rate, as asked for
     * @param timedAlerts alerts the percentiles are over
     * @param p50Millis median ingest-to-alert time
     * @param p99Millis 99th percentile
     * @param maxMillis the slowest
     */
    record Result(double messagesPerSecond, long timedAlerts, long p50Millis, long p99Millis, long maxMillis) {}

    private IngestToAlertLatency() {}

    /**
     * @param tracesPerSecond the generator's rate: messages/s divided by messages per trace
     */
    static Result run(BenchSettings bench, double tracesPerSecond, TraceAnalyticsConfig config, PrintStream console)
            throws Exception {
        PacedTraffic feed = new PacedTraffic(bench.seed(), bench.latencyDuration(), tracesPerSecond, FAULTS);
        long count = feed.count();
        StreamExecutionEnvironment env = Environments.create(config, console);
        DataGeneratorSource<RawMessage> source =
                new DataGeneratorSource<>(feed, count, TypeInformation.of(RawMessage.class));
        TracePipeline.Outputs outputs = TracePipeline.build(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "paced-feed").setParallelism(1), config);
        outputs.alerts().map(new LatencyProbe()).name("latency-probe").sinkTo(new DiscardingSink<>());

        console.printf("Latency run: %,d messages over %ds of wall clock, %.1f traces/s%n",
                count, bench.latencyDuration().toSeconds(), tracesPerSecond);
        JobExecutionResult result = env.execute(config.job().name() + " latency");
        TreeMap<Integer, Integer> histogram = result.getAccumulatorResult(LatencyProbe.LATENCIES);
        if (histogram == null) {
            histogram = new TreeMap<>();
        }
        double rate = count / (bench.latencyDuration().toMillis() / 1000.0);
        long timed = histogram.values().stream().mapToLong(Integer::longValue).sum();
        return new Result(rate, timed, percentile(histogram, 0.50), percentile(histogram, 0.99),
                histogram.isEmpty() ? -1 : histogram.lastKey());
    }

    /** The smallest value with at least {@code fraction} of the counts at or below it; -1 when there are none. */
    static long percentile(TreeMap<Integer, Integer> histogram, double fraction) {
        long total = histogram.values().stream().mapToLong(Integer::longValue).sum();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (Map.Entry<Integer, Integer> entry : histogram.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return entry.getKey();
            }
        }
        return histogram.lastKey();
    }

    /** What the sequencing alone holds each message, in event time: the configured out-of-orderness. */
    static Duration configuredHold(TraceAnalyticsConfig config) {
        return config.eventTime().maxOutOfOrderness();
    }
}
