package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.jobs.RunSummary;
import dev.mplp.trace.jobs.StreamJob;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole product on an embedded Flink over generated traffic.",
            "Generates a few minutes of event-time traffic with injected faults, runs the streaming job over it,",
            "writes every output (with the Parquet archive in --out/archive) under --out and prints a summary."
        })
public class DemoCommand implements Callable<Integer> {

    /**
     * The faults the demo injects, spread over its event time; see `generate --help` for the syntax. The ones the
     * baselines should find start after their warm-up ({@link #DEMO_SETTINGS}).
     */
    public static final List<String> FAULTS = List.of(
            "incomplete:notification/send_email@+2m/1m:fraction=0.3",
            "cpu:catalog@+4m/45s:percent=97",
            // short CPU bursts a minute apart: one incident per operation (its sliding window spans the gaps)
            "cpu:inventory@+3m/40s:percent=97",
            "cpu:inventory@+260s/40s:percent=97",
            "cpu:inventory@+340s/40s:percent=97",
            "cpu:inventory@+7m/40s:percent=97",
            // a slow creep: above the trend's band (20 %), below the degradation threshold (50 %). Spans 40 % slower
            // make each minute's p95 some 30 % higher; at 30 % slower the p95's noise dropped a minute under the band,
            // which broke the run of consecutive windows (the baseline's median learns the creep's first windows too)
            "latency:catalog/search_products@+6m/5m:factor=1.4",
            "latency:checkout/charge@+7m/3m:factor=4",
            "errors:inventory@+8m/2m:fraction=0.5",
            "malformed:*:fraction=0.01",
            "duplicate:*:fraction=0.01",
            "out_of_order:*@+5m/30s:fraction=0.2,max_delay=3s");

    /**
     * Settings the demo changes so that it shows the whole product in a few minutes of event time: the baselines
     * warm up in five one-minute windows instead of fifteen. A --set of the same key wins.
     */
    public static final Map<String, String> DEMO_SETTINGS = Map.of("detection.baseline.warm-up-windows", "5");

    @Option(names = "--out", paramLabel = "DIR", description = "Where every output goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Event time of generated traffic (default: 12m).")
    Duration duration = Duration.ofMinutes(12);

    @Option(names = "--rate", paramLabel = "TRACES_PER_SECOND", description = "default: ${DEFAULT-VALUE}")
    double rate = 6;

    @Option(names = "--seed", paramLabel = "N", description = "default: ${DEFAULT-VALUE}")
    long seed = 42;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        TraceAnalyticsConfig settings = config.load(DEMO_SETTINGS, console::println);
        Path input = out.resolve("input").resolve("traffic.jsonl");
        Path alerts = out.resolve("alerts");
        Path deadLetters = out.resolve("dead-letters");
        Path late = out.resolve("late-messages");
        Path breaches = out.resolve("breaches");
        Path archive = out.resolve("archive");
        for (Path previous : List.of(input, alerts, deadLetters, late, breaches, archive)) {
            deleteRecursively(previous);
        }

        GeneratorSettings.Builder generator = GeneratorSettings.builder()
                .seed(seed)
                .duration(duration)
                .rate(rate);
        FAULTS.forEach(generator::fault);
        console.printf("Generating %ds of event time at %s traces/s (seed %d) with faults:%n",
                duration.toSeconds(), rate, seed);
        FAULTS.forEach(fault -> console.println("  " + fault));
        long generated = TrafficWriter.toFile(new TrafficGenerator(generator.build()), input, 0);
        console.printf("  %,d messages -> %s%n%n", generated, input);

        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(
                        new Endpoint.File(input),
                        new Endpoint.File(alerts),
                        new Endpoint.File(deadLetters),
                        new Endpoint.File(late),
                        false)
                        .withArchive(new ArchiveLocation.Local(archive))
                        .withBreaches(new Endpoint.File(breaches)),
                settings,
                console);

        console.println();
        console.println("Summary");
        summary.print(console);
        console.println("Files written:");
        for (Path dir : List.of(input.getParent(), alerts, deadLetters, late, breaches, archive)) {
            for (Path file : visibleFiles(dir)) {
                console.printf("  %-60s %,12d bytes%n", file, Files.size(file));
            }
        }
        return summary.read() == generated && summary.balanced() ? 0 : 1;
    }

    private static List<Path> visibleFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
