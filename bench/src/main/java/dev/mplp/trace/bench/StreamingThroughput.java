package dev.mplp.trace.bench;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.RunSummary;
import dev.mplp.trace.jobs.StreamJob;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The streaming job exactly as {@code trace-analytics stream} runs it ({@link StreamJob}, every detector, alerts,
 * dead letters and late messages to local directories, checkpoints as configured) on the embedded Flink, over the
 * corpus file.
 */
final class StreamingThroughput {

    private StreamingThroughput() {}

    static JobRun run(Path input, Path outDir, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        Path alerts = outDir.resolve("alerts");
        StreamJob.Options options = new StreamJob.Options(
                new Endpoint.File(input),
                new Endpoint.File(alerts),
                new Endpoint.File(outDir.resolve("dead-letters")),
                new Endpoint.File(outDir.resolve("late-messages")),
                false,
                new ArchiveLocation.Local(outDir.resolve("archive")));
        ProgressRate progress = new ProgressRate(console);
        long start = System.nanoTime();
        RunSummary summary = StreamJob.run(options, config, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new JobRun(summary, seconds, JobRun.countLines(alerts), progress.readingRate(summary.read()));
    }
}
