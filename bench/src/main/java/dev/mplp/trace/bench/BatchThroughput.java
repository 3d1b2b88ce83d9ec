package dev.mplp.trace.bench;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.ReprocessJob;
import dev.mplp.trace.jobs.RunSummary;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The batch reprocessing job ({@link ReprocessJob}, {@code trace-analytics reprocess}) over the Parquet archive the
 * streaming run wrote (its {@code messages/} table: every accepted message's original JSON), every event time,
 * alerts to a local directory.
 */
final class BatchThroughput {

    private BatchThroughput() {}

    static JobRun run(Path archive, Path outDir, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        Path alerts = outDir.resolve("alerts");
        ReprocessJob.Options options =
                new ReprocessJob.Options(new Endpoint.File(archive), EventTimeRange.ALL, new Endpoint.File(alerts), null);
        double cpu = JobRun.processCpuSeconds();
        long start = System.nanoTime();
        RunSummary summary = ReprocessJob.run(options, config, console);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new JobRun(summary, seconds, JobRun.countLines(alerts), Double.NaN, JobRun.processCpuSeconds() - cpu);
    }
}
