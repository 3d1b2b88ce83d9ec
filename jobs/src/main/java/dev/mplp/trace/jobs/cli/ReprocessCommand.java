package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.Backtest;
import dev.mplp.trace.jobs.ReprocessJob;
import dev.mplp.trace.jobs.RunSummary;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "reprocess",
        mixinStandardHelpOptions = true,
        description = {
            "Reprocess archived traces in batch: the same detection pipeline as `stream`, over an event-time range.",
            "With --compare-config, a backtest: the range is run under the rules in force and under the proposed",
            "ones, and the incidents that differ are written per rule to --diff."
        })
public class ReprocessCommand implements Callable<Integer> {

    @Option(
            names = "--archive",
            required = true,
            paramLabel = "LOCATION",
            converter = ArchiveInputConverter.class,
            description = {
                "The archive to read: a Parquet archive root (file:DIR or s3://BUCKET/PREFIX, the directory that holds "
                        + "messages/; only the dt=/hour= partitions in range are listed and read), or JSON lines "
                        + "(file:PATH or s3://BUCKET/KEY: a file, a directory or a glob; .gz files are decompressed)."
            })
    ArchiveInput archive;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "ISO-8601",
            description = "Start of the event-time range, inclusive, e.g. 2025-09-03T10:00:00Z.")
    Instant from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "ISO-8601",
            description = "End of the event-time range, exclusive.")
    Instant to;

    @Option(
            names = "--alerts",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Where the alerts go: kafka://HOST:PORT/TOPIC or file:DIR (JSON lines). Needed unless "
                    + "--output-archive or --compare-config is given.")
    Endpoint alerts;

    @Option(
            names = "--dlq",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Where dead letters go (records of a raw archive that fail validation); without it they "
                    + "are only counted.")
    Endpoint deadLetters;

    @Option(
            names = "--output-archive",
            paramLabel = "LOCATION",
            converter = ArchiveLocationConverter.class,
            description = "Also write the summary tables (spans, service_windows, alerts, dead_letters) as a Parquet "
                    + "archive: s3://BUCKET/PREFIX or file:DIR. Refused when it is, or lies inside, the --archive "
                    + "that is read, unless --into-source-archive is given.")
    ArchiveLocation outputArchive;

    @Option(
            names = "--into-source-archive",
            description = "Allow --output-archive to be the archive that is read: the summary tables are added to it "
                    + "next to what is already there (nothing is deleted), e.g. to backfill hours the streaming job "
                    + "did not summarize.")
    boolean intoSourceArchive;

    @Option(
            names = "--compare-config",
            paramLabel = "FILE",
            description = "Proposed rules: a YAML file laid over the rules in force (--config, then this, then --set).")
    Path compareConfig;

    @Option(
            names = "--diff",
            paramLabel = "DIR",
            description = "With --compare-config: where both runs' alerts and diff.jsonl go.")
    Path diffDir;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        EventTimeRange range = new EventTimeRange(from, to);
        TraceAnalyticsConfig current = config.load(console::println);
        if (compareConfig != null) {
            if (diffDir == null) {
                throw new IllegalArgumentException("--compare-config needs --diff DIR for the two runs and their diff");
            }
            if (alerts != null) {
                throw new IllegalArgumentException(
                        "--alerts is not used by a backtest: both runs' alerts go under --diff " + diffDir);
            }
            if (outputArchive != null) {
                throw new IllegalArgumentException(
                        "--output-archive is not used by a backtest: it writes only the two runs' alerts and their diff");
            }
            List<Path> layers = new ArrayList<>();
            if (config.configFile != null) {
                layers.add(config.configFile);
            }
            layers.add(compareConfig);
            TraceAnalyticsConfig proposed = ConfigLoader.loadLayers(layers, config.overrides);
            Backtest.run(archive, range, current, proposed, diffDir, console);
            return 0;
        }
        if (alerts == null && outputArchive == null) {
            throw new IllegalArgumentException(
                    "--alerts LOCATION or --output-archive LOCATION is needed (or --compare-config with --diff)");
        }
        if (intoSourceArchive && outputArchive == null) {
            throw new IllegalArgumentException("--into-source-archive is about --output-archive, which is not given");
        }
        RunSummary summary = ReprocessJob.run(
                new ReprocessJob.Options(archive, range, alerts, deadLetters, outputArchive, intoSourceArchive),
                current,
                console);
        summary.print(console);
        return 0;
    }
}
