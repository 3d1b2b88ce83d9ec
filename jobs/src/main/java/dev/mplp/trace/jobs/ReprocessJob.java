package dev.mplp.trace.jobs;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.jobs.sources.ReadProgress;
import dev.mplp.trace.jobs.sources.ReprocessInputs;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.sinks.AlertJson;
import dev.mplp.trace.sinks.DeadLetterJson;
import dev.mplp.trace.sinks.OutputSinks;
import dev.mplp.trace.sinks.archive.ArchiveFileSystem;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.PrintStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
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
     * @param archive a Parquet archive root, JSON lines (a file, directory or glob; .gz decompressed) on {@code file:}
     *     or S3, or a Kafka topic ({@link dev.mplp.trace.jobs.sources.ReprocessInputs})
     * @param range the event time to cover; messages outside it are counted and skipped
     * @param alerts may be null when {@code outputArchive} is given (the alerts are then in its {@code alerts/})
     * @param deadLetters may be null: dead letters are then only counted (or in the output archive)
     * @param outputArchive may be null: where the summary tables go (spans, service_windows, alerts, dead_letters)
     * @param intoSourceArchive allows {@code outputArchive} to be, or lie inside, the archive that is read
     */
    public record Options(
            ArchiveInput archive,
            EventTimeRange range,
            Endpoint alerts,
            Endpoint deadLetters,
            ArchiveLocation outputArchive,
            boolean intoSourceArchive) {

        public Options(Endpoint archive, EventTimeRange range, Endpoint alerts, Endpoint deadLetters) {
            this(ArchiveInput.of(archive), range, alerts, deadLetters, null, false);
        }

        public Options(ArchiveInput archive, EventTimeRange range, Endpoint alerts, Endpoint deadLetters) {
            this(archive, range, alerts, deadLetters, null, false);
        }
    }

    private ReprocessJob() {}

    public static RunSummary run(Options options, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        if (options.alerts() == null && options.outputArchive() == null) {
            throw new IllegalArgumentException("reprocess needs --alerts LOCATION or --output-archive LOCATION");
        }
        if (options.alerts() != null) {
            StreamJob.requireDirectoryOrAbsent("--alerts", options.alerts());
        }
        if (options.deadLetters() != null) {
            StreamJob.requireDirectoryOrAbsent("--dlq", options.deadLetters());
        }
        if (options.outputArchive() != null) {
            ArchiveOutputs.check(options.outputArchive());
            OutputArchives.requireApartFromSource(options.archive(), options.outputArchive(),
                    options.intoSourceArchive());
        }
        if (options.archive() instanceof ArchiveInput.Files files && files.location().getScheme().equals("s3")) {
            // the listing runs here, in the client, whatever runs the job
            ArchiveFileSystem.configureInThisJvm(
                    ArchiveLocation.parse(files.location().toString()), config.archive(), new Configuration());
        }
        ReprocessInputs.Plan plan = ReprocessInputs.plan(options.archive(), options.range(), config);
        ReprocessProgress progress = new ReprocessProgress(plan);

        StreamExecutionEnvironment env = Environments.create(config, console, RuntimeExecutionMode.BATCH);

        DataStream<RawMessage> raw = env.fromSource(plan.source(), WatermarkStrategy.noWatermarks(), "archived-messages")
                .name("archive: " + options.archive())
                .uid("archived-messages-source")
                .map(new ReadProgress(plan.files()))
                .name("read progress")
                .uid("read-progress");

        TracePipeline.Outputs outputs = TracePipeline.build(raw, null, config, options.range(), false);

        if (options.alerts() != null) {
            outputs.alerts()
                    .map(new CountAlerts())
                    .name("alert-totals")
                    .uid("alert-totals")
                    .sinkTo(OutputSinks.jsonLines(options.alerts(), "alerts", AlertJson::toJson, config))
                    .name("alerts: " + options.alerts())
                    .uid("alerts-sink");
        }

        if (options.deadLetters() != null) {
            outputs.deadLetters()
                    .sinkTo(OutputSinks.jsonLines(
                            options.deadLetters(), "dead-letters", DeadLetterJson::toJson, config))
                    .name("dead-letters: " + options.deadLetters())
                    .uid("dead-letters-sink");
        }

        if (options.outputArchive() != null) {
            ArchiveOutputs.attachSummaries(env, outputs, options.outputArchive(), config);
        }

        console.println("Reprocessing " + options.archive() + " over " + options.range() + " (batch)");
        console.println("  " + progress.plannedLine());
        return JobRuns.await(env.executeAsync(config.flink().jobName() + " reprocess"), console, progress::line, true,
                progress.totalRecords());
    }
}
