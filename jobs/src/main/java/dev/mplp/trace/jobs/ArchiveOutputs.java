package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.sinks.archive.AlertsTable;
import dev.mplp.trace.sinks.archive.BreachesTable;
import dev.mplp.trace.sinks.archive.ArchiveFileSystem;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.sinks.archive.ArchiveSinks;
import dev.mplp.trace.sinks.archive.ArchiveTable;
import dev.mplp.trace.sinks.archive.DeadLettersTable;
import dev.mplp.trace.sinks.archive.MessagesTable;
import dev.mplp.trace.sinks.archive.ServiceWindowsTable;
import dev.mplp.trace.sinks.archive.SpansTable;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Sends the pipeline's outputs to the Parquet archive under {@code --archive}: one exactly-once table sink per
 * output, each with a stable uid (its pending part files are checkpointed state).
 */
final class ArchiveOutputs {

    /** Execution targets that run the job in this JVM, whose file systems this process configures. */
    private static final Set<String> IN_THIS_JVM = Set.of("local", "minicluster");

    private ArchiveOutputs() {}

    /** Checks the location before any Flink machinery starts. */
    static void check(ArchiveLocation location) {
        if (location instanceof ArchiveLocation.Local local && Files.isRegularFile(local.directory())) {
            throw new IllegalArgumentException("--archive " + location + " is a file; the archive is a directory");
        }
    }

    static void attach(
            StreamExecutionEnvironment env,
            TracePipeline.Outputs outputs,
            ArchiveLocation location,
            TraceAnalyticsConfig config) {
        configureIfInThisJvm(env, location, config);
        table(outputs.accepted(), location, MessagesTable.TABLE, config);
        summaries(outputs, location, config);
    }

    /**
     * The summary tables only (spans, service_windows, dead_letters, alerts, breaches), as a reprocessing run writes them: its
     * messages are those of the archive it read.
     */
    static void attachSummaries(
            StreamExecutionEnvironment env,
            TracePipeline.Outputs outputs,
            ArchiveLocation location,
            TraceAnalyticsConfig config) {
        configureIfInThisJvm(env, location, config);
        summaries(outputs, location, config);
    }

    private static void configureIfInThisJvm(
            StreamExecutionEnvironment env, ArchiveLocation location, TraceAnalyticsConfig config) {
        String target = env.getConfiguration().get(DeploymentOptions.TARGET);
        if (target == null || IN_THIS_JVM.contains(target)) {
            ArchiveFileSystem.configureInThisJvm(location, config.archive(), new Configuration());
        }
    }

    /** The job's checkpoint interval, or null when it does not checkpoint. */
    private static Duration checkpointInterval(StreamExecutionEnvironment env) {
        return env.getCheckpointConfig().isCheckpointingEnabled()
                ? Duration.ofMillis(env.getCheckpointConfig().getCheckpointInterval())
                : null;
    }

    private static void summaries(TracePipeline.Outputs outputs, ArchiveLocation location, TraceAnalyticsConfig config) {
        table(outputs.completedSpans(), location, SpansTable.TABLE, config);
        table(outputs.serviceWindows(), location, ServiceWindowsTable.TABLE, config);
        table(outputs.deadLetters(), location, DeadLettersTable.TABLE, config);
        table(outputs.alerts(), location, AlertsTable.TABLE, config);
        table(outputs.breaches(), location, BreachesTable.TABLE, config);
    }

    /**
     * One table's sink, compacted as {@code archive.compaction} says (in checkpoints of the stream's job); named and
     * uid'd after the table.
     */
    static <T> void table(
            DataStream<T> stream, ArchiveLocation location, ArchiveTable<T> table, TraceAnalyticsConfig config) {
        Duration checkpointInterval = checkpointInterval(stream.getExecutionEnvironment());
        stream.sinkTo(ArchiveSinks.table(location, table, config, checkpointInterval))
                .name("archive: " + table.name())
                .uid("archive-" + table.name() + "-sink");
    }
}
