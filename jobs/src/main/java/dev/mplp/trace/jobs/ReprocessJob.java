package dev.mplp.trace.jobs;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.RawMessageSources;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.sinks.AlertJson;
import dev.mplp.trace.sinks.DeadLetterJson;
import dev.mplp.trace.sinks.OutputSinks;
import java.io.PrintStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The batch reprocessing job: the same {@link TracePipeline} as the streaming job, over an archive, in
 * {@link RuntimeExecutionMode#BATCH}. Keyed operators then see each key's records sorted by event time and timers
 * fire at the end of the input, so the results are those of a streaming run over the same messages (a streaming
 * run's late messages aside: a batch run has none).
 */
public final class ReprocessJob {

    /**
     * What to reprocess and where the results go.
     *
     * @param archive a JSON-lines archive (file, directory or glob; .gz decompressed)
     * @param range the event time to cover; messages outside it are counted and skipped
     * @param deadLetters may be null: dead letters are then only counted
     */
    public record Options(Endpoint archive, EventTimeRange range, Endpoint alerts, Endpoint deadLetters) {}

    private ReprocessJob() {}

    public static RunSummary run(Options options, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        Source<RawMessage, ?, ?> source = RawMessageSources.create(options.archive(), config, true);
        StreamJob.requireDirectoryOrAbsent("--alerts", options.alerts());
        if (options.deadLetters() != null) {
            StreamJob.requireDirectoryOrAbsent("--dlq", options.deadLetters());
        }

        StreamExecutionEnvironment env = Environments.create(config, console, RuntimeExecutionMode.BATCH);

        DataStream<RawMessage> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "archived-messages")
                .name("archive: " + options.archive())
                .uid("archived-messages-source");

        TracePipeline.Outputs outputs = TracePipeline.build(raw, null, config, options.range());

        outputs.alerts()
                .sinkTo(OutputSinks.jsonLines(options.alerts(), "alerts", AlertJson::toJson, config))
                .name("alerts: " + options.alerts())
                .uid("alerts-sink");

        if (options.deadLetters() != null) {
            outputs.deadLetters()
                    .sinkTo(OutputSinks.jsonLines(
                            options.deadLetters(), "dead-letters", DeadLetterJson::toJson, config))
                    .name("dead-letters: " + options.deadLetters())
                    .uid("dead-letters-sink");
        }

        console.println("Reprocessing " + options.archive() + " over " + options.range() + " (batch)");
        return JobRuns.await(env.executeAsync(config.job().name() + " reprocess"), console);
    }
}
