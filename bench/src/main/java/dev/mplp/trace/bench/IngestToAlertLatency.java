package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.Environments;
import dev.mplp.trace.jobs.TracePipeline;
import dev.mplp.trace.records.RawMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
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
     * @param alerts ingest → alert out of the detectors and the lifecycle, every timed alert
     * @param afterCheckpoint the same, for the alerts out within {@link LatencyProbe#AFTER_CHECKPOINT_MILLIS} after
     *     a checkpoint's barrier
     * @param betweenCheckpoints the same, for the other alerts
     * @param commitDelay alert out → the completion of the checkpoint that commits it in a transactional output
     * @param accepted ingest → accepted (parsed, shuffled once, deduplicated), every message
     * @param gc the garbage collections during the run
     */
    record Result(double messagesPerSecond, Percentiles alerts, Percentiles afterCheckpoint,
            Percentiles betweenCheckpoints, Percentiles commitDelay, Percentiles accepted, GcPauses.Summary gc) {}

    private IngestToAlertLatency() {}

    /**
     * @param tracesPerSecond the generator's rate: messages/s divided by messages per trace
     */
    static Result run(BenchSettings bench, double tracesPerSecond, TraceAnalyticsConfig config, PrintStream console)
            throws Exception {
        // the rows before this one ran their jobs in this JVM: collect what they left, so that the pauses this run
        // measures are its own job's, not a full old generation's left by a previous one
        System.gc();
        PacedTraffic feed = new PacedTraffic(bench.seed(), bench.latencyDuration(), tracesPerSecond, FAULTS);
        long count = feed.count();
        StreamExecutionEnvironment env = Environments.create(config, console);
        DataGeneratorSource<RawMessage> source =
                new DataGeneratorSource<>(feed, count, TypeInformation.of(RawMessage.class));
        TracePipeline.Outputs outputs = TracePipeline.build(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "paced-feed").setParallelism(1), config);
        outputs.alerts().map(new LatencyProbe()).name("latency-probe").sinkTo(new DiscardingSink<>());
        outputs.accepted().map(new IngestProbe()).name("ingest-probe").sinkTo(new DiscardingSink<>());

        console.printf("Latency run: %,d messages over %ds of wall clock, %.1f traces/s%n",
                count, bench.latencyDuration().toSeconds(), tracesPerSecond);
        JobExecutionResult result;
        GcPauses.Summary gc;
        try (GcPauses pauses = new GcPauses()) {
            result = env.execute(config.flink().jobName() + " latency");
            gc = pauses.summary();
        }
        double rate = count / (bench.latencyDuration().toMillis() / 1000.0);
        return new Result(rate,
                Percentiles.of(result.getAccumulatorResult(LatencyProbe.LATENCIES)),
                Percentiles.of(result.getAccumulatorResult(LatencyProbe.AFTER_CHECKPOINT)),
                Percentiles.of(result.getAccumulatorResult(LatencyProbe.BETWEEN_CHECKPOINTS)),
                Percentiles.of(result.getAccumulatorResult(LatencyProbe.COMMIT_DELAY)),
                Percentiles.of(result.getAccumulatorResult(IngestProbe.LATENCIES)),
                gc);
    }

    /** What the sequencing alone holds each message, in event time: the configured out-of-orderness. */
    static Duration configuredHold(TraceAnalyticsConfig config) {
        return config.eventTime().maxOutOfOrderness();
    }
}
