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
 * corpus file; after a warm-up run over the corpus's head, as the parse ceiling warms up before it is timed. Without
 * it the JIT compiler was a fifth of the process's CPU time during the timed run (JFR, {@code jdk.ThreadCPULoad} of
 * its compiler threads: 57 s of CPU over a 72,850-message run): the cost of a fresh JVM, not of each message.
 */
final class StreamingThroughput {

    private StreamingThroughput() {}

    /** Runs the job over {@code warmUpInput} into {@code outDir/warm-up} (the figures discarded), then times it. */
    static JobRun warmThenRun(Path warmUpInput, Path input, Path outDir, TraceAnalyticsConfig config,
            PrintStream console) throws Exception {
        console.println("Warm-up run of the streaming job over " + warmUpInput);
        JobRun warmUp = run(warmUpInput, outDir.resolve("warm-up"), config, console);
        console.printf("Warm-up: %,d messages in %.1f s%n", warmUp.summary().read(), warmUp.seconds());
        return run(input, timed(outDir), config, console);
    }

    /** Where {@link #warmThenRun} into {@code outDir} wrote the timed run's Parquet archive. */
    static Path timedArchive(Path outDir) {
        return archive(timed(outDir));
    }

    private static Path timed(Path outDir) {
        return outDir.resolve("timed");
    }

    private static Path archive(Path runDir) {
        return runDir.resolve("archive");
    }

    /**
     * What {@code trace-analytics stream} is given: {@code source}; alerts, dead letters, late messages and the
     * Parquet archive under {@code outDir}.
     */
    static StreamJob.Options options(Endpoint source, Path outDir) {
        return StreamJob.Options.of(
                source,
                new Endpoint.File(alerts(outDir)),
                new Endpoint.File(outDir.resolve("dead-letters")),
                new Endpoint.File(outDir.resolve("late-messages")),
                false).withArchive(new ArchiveLocation.Local(archive(outDir)));
    }

    static Path alerts(Path outDir) {
        return outDir.resolve("alerts");
    }

    /** A run over {@code input}: a file, or a directory whose files are the source's splits. */
    static JobRun run(Path input, Path outDir, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        Path alerts = alerts(outDir);
        StreamJob.Options options = options(new Endpoint.File(input), outDir);
        ProgressRate progress = new ProgressRate(console);
        double cpu = JobRun.processCpuSeconds();
        long start = System.nanoTime();
        RunSummary summary = StreamJob.run(options, config, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new JobRun(summary, seconds, JobRun.countLines(alerts), progress.readingRate(summary.read()),
                JobRun.processCpuSeconds() - cpu);
    }
}
