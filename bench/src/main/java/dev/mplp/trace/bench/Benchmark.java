package dev.mplp.trace.bench;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.FileUtils;

/**
 * The benchmark of issue 8, in one run: parse ceiling, streaming throughput, ingest-to-alert latency, keyed state
 * per unit of work, archive ratio (a hook for now), batch throughput. Prints the table and writes it to
 * {@code BENCHMARKS.md}. Run it with {@code bench/run.sh} (see there for the plain {@code java -cp} command).
 *
 * <pre>
 *   Benchmark [--smoke] [--out FILE] [--notes FILE] [--work DIR] [--open-spans N,N...] [--rows N,N...]
 *             [--steady SECONDS]
 * </pre>
 *
 * {@code --smoke} runs every measurement on a tiny input (seconds; the figures mean nothing). {@code --rows 1,2}
 * runs only those rows of the table (and the rows they need), e.g. to see whether a change helps; the others are
 * written as "not run". {@code --steady} shortens the Kafka run's steady state (5 minutes), to try it out. Row 7
 * (peers) compares the rules in ours, Flink SQL and Esper.
 */
public final class Benchmark {

    /** Issue 16's target for the ratio of the rate through Kafka to the 2-thread parse ceiling. */
    static final double RATIO_TARGET = 0.25;

    /** The sections of the table, in order; every run writes at least one row of each. */
    public static final List<String> SECTIONS = List.of(
            "1 ceiling", "2 streaming", "3 latency", "4 state", "5 archive", "6 batch", "7 peers");

    /** Every row. */
    public static final Set<Integer> ALL_ROWS = Set.of(1, 2, 3, 4, 5, 6, 7);

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        Path out = Path.of("BENCHMARKS.md");
        Path notes = Path.of("bench", "NOTES.md");
        Path work = Path.of("bench", "target", "bench-work");
        List<Integer> openSpans = null;
        Duration steady = null;
        Set<Integer> rows = ALL_ROWS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--notes" -> notes = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--rows" -> rows =
                        Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf)
                                .collect(java.util.stream.Collectors.toSet());
                case "--steady" -> steady = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--open-spans" -> openSpans =
                        Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
                default -> {
                    System.err.println("usage: Benchmark [--smoke] [--out FILE] [--notes FILE] [--work DIR] "
                            + "[--open-spans N,N...] [--rows N,N...] [--steady SECONDS]");
                    System.exit(2);
                }
            }
        }
        String command = System.getProperty("bench.command", "Benchmark " + String.join(" ", args));
        BenchSettings settings = smoke ? BenchSettings.smoke(work) : BenchSettings.full(work);
        if (openSpans != null) {
            settings = settings.withOpenSpans(openSpans);
        }
        if (steady != null) {
            settings = settings.withSteady(steady);
        }
        try {
            run(settings, rows, out, notes, command, System.out);
        } catch (Exception e) {
            e.printStackTrace();
            // as below: or the JVM would stay up for the threads an embedded cluster leaves
            System.exit(1);
        }
        // the embedded clusters leave non-daemon threads behind
        System.exit(0);
    }

    /** Runs every measurement and writes the report to {@code out}. */
    public static List<Figure> run(BenchSettings bench, Path out, Path notes, String command, PrintStream console)
            throws Exception {
        return run(bench, ALL_ROWS, out, notes, command, console);
    }

    /**
     * Runs the measurements of {@code rows} (1 to 7; with the rows they need: 3 needs 2, which needs 1) and
     * writes the report to {@code out}; a row left out is in the table as "not run".
     */
    public static List<Figure> run(BenchSettings bench, Set<Integer> rows, Path out, Path notes, String command,
            PrintStream console) throws Exception {
        rows = withPrerequisites(rows);
        long begin = System.nanoTime();
        Report report = new Report(command, Machine.current());
        FileUtils.deleteDirectory(bench.workDir().toFile());
        TraceAnalyticsConfig config = ConfigLoader.load(null, bench.configOverrides());

        Corpus corpus = Corpus.generate(bench);
        console.printf("Corpus: %,d messages, %,d bytes (%.0f B/message, %.1f messages/trace) in %s%n",
                corpus.messages(), corpus.bytes(), corpus.averageMessageBytes(), corpus.messagesPerTrace(),
                corpus.file());

        // 2 (measured first: its rate sets the density of every live input). The live run through Kafka, then
        // its traffic as files, whose head is the parse ceiling's sample: the same messages
        KafkaThroughput.Result kafka = null;
        LiveCorpus live = null;
        if (rows.contains(2)) {
            kafka = KafkaThroughput.run(bench, corpus.messagesPerTrace(), bench.workDir().resolve("kafka"), console);
            live = LiveCorpus.generate(KafkaThroughput.pacedSettings(bench, kafka.pacedStart(),
                            kafka.tracesPerSecond()).toBuilder().duration(bench.live().fileCorpus()).build(),
                    bench.workDir().resolve("live-input"), bench.ceilingSampleMessages());
            console.printf("Live corpus: %,d messages, %.0f s of event time at %,.0f msg/s%n", live.messages(),
                    bench.live().fileCorpus().toMillis() / 1000.0, kafka.density());
        }
        List<byte[]> sample = live != null ? live.head() : corpus.head(bench.ceilingSampleMessages());

        // 1. what one core, and two, can parse
        Ceiling ceiling = null;
        if (rows.contains(1)) {
            ceiling = ceiling(bench, config, corpus, sample, live != null, report, console);
        } else {
            notRun(report, SECTIONS.get(0), console);
        }

        // 2. the streaming job's rates; 3. latency at half the sustainable one
        if (kafka != null) {
            streaming(bench, rows, config, corpus, kafka, live, ceiling, report, console);
        } else {
            SECTIONS.subList(1, 3).forEach(section -> notRun(report, section, console));
        }

        // 4. keyed state per unit of work
        if (rows.contains(4)) {
            state(bench, config, corpus, report, console);
        } else {
            notRun(report, SECTIONS.get(3), console);
        }
        // 5. the archive of a streaming run over the corpus; 6. batch against it
        if (rows.contains(5) || rows.contains(6)) {
            JobRun stream = StreamingThroughput.warmThenRun(corpus.headFile(bench.ceilingSampleMessages()),
                    corpus.file(), bench.workDir().resolve("stream"), config, console);
            archiveAndBatch(bench, rows, config, corpus, stream, report, console);
        } else {
            SECTIONS.subList(4, 6).forEach(section -> notRun(report, section, console));
        }

        // 7. peers
        if (rows.contains(7)) {
            peers(bench, config, report, console);
        } else {
            notRun(report, SECTIONS.get(6), console);
        }

        report.finish((System.nanoTime() - begin) / 1e9);
        report.print(console);
        report.write(out, notes);
        console.println("Wrote " + out.toAbsolutePath());
        return report.figures();
    }

    /** Row 1's Jackson ceilings: one thread, and two at once (the job's two task slots). */
    record Ceiling(ParseCeiling.Rate oneThread, ParseCeiling.Rate twoThreads) {}

    private static Ceiling ceiling(BenchSettings bench, TraceAnalyticsConfig config, Corpus corpus,
            List<byte[]> sample, boolean liveSample, Report report, PrintStream console) throws Exception {
        String messages = liveSample
                ? String.format("the first %,d messages of row 2's live traffic (its files' head)", sample.size())
                : String.format("%,d generated messages (seed %d, default topology, %.0f B each)", sample.size(),
                        bench.seed(), corpus.averageMessageBytes());
        ParseCeiling.Rate jackson = ParseCeiling.jackson(sample, bench.ceilingWarmUp(), bench.ceilingMeasure());
        report.add(Figure.of("1 ceiling", "Jackson `readTree` of the corpus, 1 thread",
                Figure.rate(jackson.messagesPerSecond(), "msg/s"),
                String.format("%.1f MB/s; %s looped, after %ds warm-up", jackson.megabytesPerSecond(), messages,
                        bench.ceilingWarmUp().toSeconds())), console);
        ParseCeiling.Rate twoThreads =
                ParseCeiling.jackson(sample, 2, bench.ceilingWarmUp(), bench.ceilingMeasure());
        report.add(Figure.of("1 ceiling", "Jackson `readTree` of the corpus, 2 threads at once",
                Figure.rate(twoThreads.messagesPerSecond(), "msg/s"),
                String.format("%.1f MB/s; the same messages, two threads parsing in parallel (as the job's two task "
                                + "slots would), each after its warm-up; %.2f × one thread: row 2's ratios are to this",
                        twoThreads.megabytesPerSecond(), twoThreads.messagesPerSecond() / jackson.messagesPerSecond())),
                console);
        ParseCeiling.Rate ingest = ParseCeiling.validator(sample, bench.ceilingWarmUp(), bench.ceilingMeasure(),
                new HashSet<>(config.ingest().protocolVersions()));
        report.add(Figure.of("1 ceiling", "the job's ingest step (`MessageValidator.validate`), 1 thread",
                Figure.rate(ingest.messagesPerSecond(), "msg/s"),
                String.format("%.1f MB/s; one pass: UTF-8 check, binding the bytes to the typed model, checks on it, "
                        + "extraction: %.2f of the Jackson ceiling, %.1f µs per message", ingest.megabytesPerSecond(),
                        ingest.messagesPerSecond() / jackson.messagesPerSecond(),
                        1e6 / ingest.messagesPerSecond())), console);
        ParseCeiling.Rate tree = ParseCeiling.treeValidator(sample, bench.ceilingWarmUp(), bench.ceilingMeasure(),
                new HashSet<>(config.ingest().protocolVersions()));
        report.add(Figure.of("1 ceiling", "the same decisions by the tree path (`validateByTree`), 1 thread",
                Figure.rate(tree.messagesPerSecond(), "msg/s"),
                String.format("the ingest step before the one-pass read (it still names every rejection): UTF-8 "
                        + "decoding, tree, checks on the tree, binding the tree; %.1f µs per message, one pass "
                        + "%.2f× as fast", 1e6 / tree.messagesPerSecond(),
                        ingest.messagesPerSecond() / tree.messagesPerSecond())), console);
        SlowestRecord.Slowest slowest = SlowestRecord.measure(sample, config.security().pii(),
                new HashSet<>(config.ingest().protocolVersions()), config.ingest().maxMessageBytes());
        report.add(Figure.of("1 ceiling", "the slowest single record's validation, PII masking on",
                String.format("%,.1f ms", slowest.milliseconds()),
                String.format("%s, of %,d records: the corpus messages above and the hostile records of issue 15 "
                        + "(letters over and under the size limit, 10,000-character user_id values, a "
                        + "100,000-character value); each record's best of %d timed runs after an untimed pass",
                        slowest.record(), slowest.records(), SlowestRecord.TIMED_RUNS)), console);

        return new Ceiling(jackson, twoThreads);
    }

    /** How row 2's rate stepped from its first guess, and which steady state its figures are. */
    static String stepped(KafkaThroughput.Result kafka) {
        if (kafka.steady().size() < 2) {
            return "";
        }
        KafkaThroughput.Steady first = kafka.steady().get(0);
        KafkaThroughput.Steady second = kafka.steady().get(1);
        if (!first.sustained()) {
            return String.format("; **stepped down once** from %,.0f msg/s, where the lag grew %,.0f msg/s (the "
                    + "density stayed that rate's)", first.targetRate(), first.lagGrowthPerSecond());
        }
        // held at the higher rate counts only if more reached the topic: the producer shares the two cores, and
        // may send less than that rate
        return kafka.counted() == second
                ? String.format("; held there, then **stepped up once** to %,.0f msg/s (%,.0f sent), held too: this "
                        + "row's figures (the density stayed the first rate's; the first held %,.0f msg/s)",
                        second.targetRate(), second.offered(), first.sustainableRate())
                : String.format("; held there (this row's figures), then stepped up once to %,.0f msg/s: %,.0f sent, "
                        + "%,.0f read, the lag grew %,.0f msg/s", second.targetRate(), second.offered(),
                        second.rate(), second.lagGrowthPerSecond());
    }

    /** Rows 2 and 3 (3 when asked for), from the Kafka run and the live corpus as files. */
    private static void streaming(BenchSettings bench, Set<Integer> rows, TraceAnalyticsConfig config,
            Corpus corpus, KafkaThroughput.Result kafka, LiveCorpus live, Ceiling ceiling, Report report,
            PrintStream console) throws Exception {
        KafkaThroughput.Steady steady = kafka.counted();
        Duration window = config.ingest().duplicateWindow();
        String stepped = stepped(kafka);
        report.add(Figure.of("2 streaming", String.format("sustainable rate through Kafka (%d partitions), embedded "
                        + "Flink, parallelism 2: %s", KafkaThroughput.PARTITIONS, steady.sustained() ? "held"
                                : "**not held**"), Figure.rate(steady.sustainableRate(), "msg/s"),
                String.format("`StreamJob` as `stream --source kafka://…` runs it (every detector, the Parquet "
                                + "archive, alerts, dead letters and late messages to local directories, checkpoints "
                                + "every %ds) on a real broker (child process), topic keyed by trace id; held: the "
                                + "messages that reached the topic over %.0f s of steady state (the job read %,.0f "
                                + "msg/s), not held: the messages the job read; after %ds paced warm-up and the lag "
                                + "down to %ds of traffic; paced at %,.0f msg/s (%.0f %% of the drain rate below)%s; "
                                + "traffic "
                                + "generated on the fly at %,.0f msg/s of event time; lag (topic end offsets − read) "
                                + "%,d at start, %,d at end, max %,d, "
                                + "growth %,.1f msg/s (flat below %.0f %% of the rate); checkpoints %,d completed, "
                                + "%,d failed, the last %,d ms and %,.1f MB; event time %s → %s of a %s duplicate "
                                + "window",
                        config.flink().checkpointInterval().toSeconds(), steady.seconds(), steady.rate(),
                        bench.live().warmUp().toSeconds(), KafkaThroughput.CAUGHT_UP.toSeconds(),
                        kafka.steady().get(0).targetRate(), bench.live().share() * 100, stepped, kafka.density(),
                        steady.lagAtStart(),
                        steady.lagAtEnd(), steady.maxLag(), steady.lagGrowthPerSecond(), KafkaThroughput.FLAT * 100,
                        steady.checkpointsCompleted(), steady.checkpointsFailed(),
                        steady.checkpointsAfter().latestDurationMillis(),
                        steady.checkpointsAfter().latestSizeBytes() / 1e6, minutes(steady.eventTimeAtStart()),
                        minutes(steady.eventTimeAtEnd()), minutes(window))), console);
        report.add(Figure.of("2 streaming", "the same, draining a preloaded backlog (its most)",
                Figure.rate(kafka.maxRate(), "msg/s"),
                String.format("%,d messages preloaded at %,.0f msg/s of event time, read by the same job before the "
                                + "paced feed; the first fifth (JIT warm-up) left out; process CPU per message (the "
                                + "broker's not included): %s", kafka.backlog(), bench.live().backlogDensity(),
                        Double.isNaN(kafka.drainCpuMillisPerMessage()) ? "not measured (drained between two polls)"
                                : String.format("%.3f ms", kafka.drainCpuMillisPerMessage()))), console);

        Path files = bench.workDir().resolve("files");
        JobRun oneFile = StreamingThroughput.run(live.file(), files.resolve("one"), config, console);
        JobRun fourFiles = StreamingThroughput.run(live.parts(), files.resolve("four"), config, console);
        for (JobRun run : List.of(oneFile, fourFiles)) {
            boolean one = run == oneFile;
            report.add(Figure.of("2 streaming", one ? "the same traffic as 1 file, while reading"
                            : String.format("the same traffic as %d files, while reading", KafkaThroughput.PARTITIONS),
                    Figure.rate(readingRate(run), "msg/s"),
                    String.format("%,d messages, %.0f s of the paced feed's event time (same seed, same density), %s; "
                                    + "records read between the job's first and last progress reports; %,d late; "
                                    + "%.2f ms of process CPU per message; %.1f s end to end", run.summary().read(),
                            bench.live().fileCorpus().toMillis() / 1000.0, one ? "one split: one subtask parses"
                                    : "split by trace id as the topic's partitions are: a split per file",
                            run.summary().late(), run.cpuMillisPerMessage(), run.seconds())), console);
        }
        if (ceiling != null) {
            double twoThreads = ceiling.twoThreads().messagesPerSecond();
            report.add(Figure.of("2 streaming", "ratio to the 2-thread Jackson ceiling",
                    String.format("%.3f", steady.sustainableRate() / twoThreads),
                    String.format("target ≥ %.2f; the sustainable rate through Kafka over row 1's 2-thread "
                                    + "`readTree` (same messages, same run); draining %.3f, 1 file %.3f, %d files %.3f; against "
                                    + "2 × the 1-thread ceiling %.3f", RATIO_TARGET, kafka.maxRate() / twoThreads,
                            readingRate(oneFile) / twoThreads, KafkaThroughput.PARTITIONS,
                            readingRate(fourFiles) / twoThreads,
                            steady.sustainableRate() / (2 * ceiling.oneThread().messagesPerSecond()))), console);
            budgetAtTarget(steady, ceiling, report, console);
        }
        cpuByChain(steady, report, console);

        // 3. latency at half the sustainable rate
        if (!rows.contains(3)) {
            notRun(report, SECTIONS.get(2), console);
            return;
        }
        double halfRate = Math.min(steady.sustainableRate() / 2, bench.latencyMaxRate());
        Map<String, String> latencyOverrides = new HashMap<>(bench.configOverrides());
        latencyOverrides.put("event-time.max-out-of-orderness", bench.latencyOutOfOrderness().toMillis() + "ms");
        // the latency-tuned settings (README): the throughput rows keep the defaults, which favour throughput; a
        // watermark every 10 ms of event time instead of 50 takes 20 ms off the average wait for one
        latencyOverrides.put("execution.buffer-timeout.interval", "10ms");
        latencyOverrides.put("event-time.watermark-interval", "10ms");
        // every per-span breach paged as well as the operation's incident: an alert per breaching span, all through
        // the run (by default an error fault on every service opens one incident per operation: a few dozen alerts,
        // too few for a p99), through the same detectors and lifecycle
        latencyOverrides.put("detection.incidents.page-per-span", "true");
        TraceAnalyticsConfig latencyConfig = ConfigLoader.load(null, latencyOverrides);
        IngestToAlertLatency.Result latency = IngestToAlertLatency.run(
                bench, halfRate / corpus.messagesPerTrace(), latencyConfig, console);
        String latencyHow = String.format("paced live feed at %,.0f msg/s (half of row 2's sustainable rate through "
                        + "Kafka, at most %,.0f) for %ds, event-time.max-out-of-orderness=%dms, "
                        + "event-time.watermark-interval=10ms, execution.buffer-timeout.interval=10ms, "
                        + "detection.incidents.page-per-span=true; the heap collected first (the earlier rows' jobs "
                        + "ran in this JVM); %,d threshold alerts timed, max %,d ms",
                latency.messagesPerSecond(), bench.latencyMaxRate(), bench.latencyDuration().toSeconds(),
                bench.latencyOutOfOrderness().toMillis(), latency.alerts().count(), latency.alerts().max());
        report.add(Figure.of("3 latency", "ingest → alert out of the detectors, p50",
                latency.alerts().p50() + " ms", latencyHow), console);
        report.add(Figure.of("3 latency", "ingest → alert out of the detectors, p99",
                latency.alerts().p99() + " ms", "target ≤ 200 ms; same run"), console);
        report.add(Figure.of("3 latency", "of which ingest → accepted, p50 / p99", latency.accepted().p50AndP99(),
                String.format("same run, all %,d messages: the source, parsing, the first shuffle and deduplication, "
                        + "before the sequencing holds each message for the out-of-orderness and the next "
                        + "watermark", latency.accepted().count())), console);
        report.add(Figure.of("3 latency", String.format(
                        "ingest → alert p99, alerts out within %d s after a checkpoint / the others",
                        LatencyProbe.AFTER_CHECKPOINT_MILLIS / 1000),
                latency.afterCheckpoint().p99Text() + " / " + latency.betweenCheckpoints().p99Text(),
                String.format("same run; %,d / %,d alerts; checkpoints every %ds", latency.afterCheckpoint().count(),
                        latency.betweenCheckpoints().count(), latencyConfig.flink().checkpointInterval().toSeconds())),
                console);
        report.add(Figure.of("3 latency", "garbage collection pauses during the run",
                String.format("%,d, longest %,d ms", latency.gc().collections(), latency.gc().longestMillis()),
                String.format("same run; %,d ms in all: every record in flight waits them out (the embedded Flink "
                        + "is in the benchmark's JVM, G1, max heap as above)", latency.gc().totalMillis())), console);
        // the same at a quarter of the rate: how much of the above is waiting for CPU
        IngestToAlertLatency.Result quarter = IngestToAlertLatency.run(
                bench, halfRate / 2 / corpus.messagesPerTrace(), latencyConfig, console);
        report.add(Figure.of("3 latency", "ingest → alert at a quarter of row 2's sustainable rate, p50 / p99",
                quarter.alerts().p50AndP99(), String.format("%,.0f msg/s, otherwise as above; ingest → accepted "
                                + "%s; after a checkpoint / the others p99 %s / %s; %,d GC pauses, longest %,d ms",
                        quarter.messagesPerSecond(), quarter.accepted().p50AndP99(),
                        quarter.afterCheckpoint().p99Text(), quarter.betweenCheckpoints().p99Text(),
                        quarter.gc().collections(),
                        quarter.gc().longestMillis())), console);
        report.add(Figure.of("3 latency", "hold of the event-time sequencing, as configured by default",
                IngestToAlertLatency.configuredHold(config).toMillis() + " ms",
                "`event-time.max-out-of-orderness`: add it to the figures above for the default configuration"),
                console);
        report.add(Figure.of("3 latency", "extra delay for `read_committed` readers of the outputs, p50 / p99",
                latency.commitDelay().p50AndP99(),
                String.format("same run; from an alert leaving the lifecycle to the completion of the checkpoint after "
                        + "it, when file and exactly-once Kafka outputs commit it (the commit's round trip not "
                        + "included); checkpoints every %ds; %,d alerts", latencyConfig.flink().checkpointInterval()
                        .toSeconds(), latency.commitDelay().count())), console);
    }

    private static double readingRate(JobRun run) {
        return Double.isNaN(run.readingRate()) ? run.messagesPerSecond() : run.readingRate();
    }

    private static String minutes(Duration duration) {
        return String.format("%.1f min", duration.toMillis() / 60_000.0);
    }

    /**
     * What the ratio's target leaves for a message: all the machine's cores at a quarter of the 2-thread ceiling,
     * for the producer, the broker and the job together, as this row runs them; and what each took in the steady
     * state, so that a reader sees whether the job alone could reach the target on this machine.
     */
    private static void budgetAtTarget(KafkaThroughput.Steady steady, Ceiling ceiling, Report report,
            PrintStream console) {
        int cores = Machine.current().cores();
        double budgetMicros = cores * 1e6 / (RATIO_TARGET * ceiling.twoThreads().messagesPerSecond());
        double producerMicros = 1000 * steady.millisPerMessage(steady.producerCpuSeconds());
        double brokerMicros = 1000 * steady.millisPerMessage(steady.brokerCpuSeconds());
        double jobMicros = 1000 * steady.millisPerMessage(steady.processCpuSeconds() - steady.producerCpuSeconds());
        report.add(Figure.of("2 streaming", "CPU per message the ratio's target leaves on this machine",
                String.format("%.1f µs", budgetMicros),
                String.format("its %d cores at %.2f of the 2-thread ceiling, for the producer, the broker and the job "
                                + "together as this row runs them; in the steady state above the producer took %.1f "
                                + "µs and the broker %.1f µs a message (%.1f µs left for the job), the job's "
                                + "process less the producer %.1f µs; `readTree` alone takes %.1f µs of one thread a "
                                + "message (row 1)", cores, RATIO_TARGET, producerMicros, brokerMicros,
                        budgetMicros - producerMicros - brokerMicros, jobMicros,
                        1e6 / ceiling.oneThread().messagesPerSecond())), console);
    }

    /**
     * Row 2's CPU per message over the Kafka run's steady state, by thread group: each operator chain (its subtasks
     * together), the producer, the broker, the rest.
     */
    private static void cpuByChain(KafkaThroughput.Steady steady, Report report, PrintStream console) {
        report.add(Figure.of("2 streaming", "CPU per message, the benchmark's whole process",
                String.format("%.3f ms", steady.millisPerMessage(steady.processCpuSeconds())),
                String.format("Kafka run's steady state, %,d messages in %.0f s: every thread of the JVM (the job, "
                                + "the embedded cluster, the producer, JIT, GC); by thread group below "
                                + "(`ThreadMXBean` CPU time at its start and end; Flink names each task thread "
                                + "after its operator chain)", steady.messages(), steady.seconds())), console);
        double rest = 0;
        int restGroups = 0;
        for (Map.Entry<String, Double> group : steady.cpuByThreads().entrySet()) {
            boolean producer = KafkaThroughput.Steady.isProducer(group.getKey());
            // the producer's always: it is not the job's, and a reader subtracts it
            if (producer || group.getValue() >= 0.01 * steady.processCpuSeconds()) {
                String name = producer ? "the benchmark's producer: " + group.getKey() : group.getKey();
                report.add(Figure.of("2 streaming", "CPU per message: " + name,
                        String.format("%.3f ms", steady.millisPerMessage(group.getValue())),
                        String.format("%.1f %% of the process", 100 * group.getValue()
                                / steady.processCpuSeconds())), console);
            } else {
                rest += group.getValue();
                restGroups++;
            }
        }
        report.add(Figure.of("2 streaming", "CPU per message: every other thread",
                String.format("%.3f ms", steady.millisPerMessage(rest)),
                String.format("%d thread groups under 1 %% of the process each", restGroups)), console);
        report.add(Figure.of("2 streaming", "CPU per message: the Kafka broker (child process)",
                String.format("%.3f ms", steady.millisPerMessage(steady.brokerCpuSeconds())),
                "its process's CPU time (`ProcessHandle`), not in the figures above; one node, its JVM as Kafka's "
                        + "start scripts run it (1 GB heap, G1)"), console);
    }

    /** Rows 5 and 6, each when asked for, after the streaming run. */
    private static void archiveAndBatch(BenchSettings bench, Set<Integer> rows, TraceAnalyticsConfig config,
            Corpus corpus, JobRun stream, Report report, PrintStream console) throws Exception {
        Path archive = StreamingThroughput.timedArchive(bench.workDir().resolve("stream"));
        // 5. archive
        if (!rows.contains(5)) {
            notRun(report, SECTIONS.get(4), console);
        } else {
        report.add(ArchiveRatio.measure(archive, corpus.bytes())
                .map(r -> Figure.of("5 archive", "Parquet `messages/` bytes / raw JSON bytes",
                        String.format("%.3f", r), "target ≤ 0.12"))
                .orElse(Figure.of("5 archive", "Parquet `messages/` bytes / raw JSON bytes", "not measured",
                        "the streaming run wrote no messages/ table")), console);
        compaction(bench, corpus, report, console);
        }

        // 6. batch
        if (!rows.contains(6)) {
            notRun(report, SECTIONS.get(5), console);
            return;
        }
        JobRun batch = BatchThroughput.run(archive, bench.workDir().resolve("batch"), config, console);
        report.add(Figure.of("6 batch", "`ReprocessJob` (batch mode), embedded Flink, parallelism 2",
                Figure.rate(batch.messagesPerSecond(), "msg/s"),
                String.format("%,d messages read, %,d alerts written, %.1f s wall clock, over the Parquet archive "
                        + "the streaming run of row 5 wrote (its `messages/` table, each message's original JSON "
                        + "parsed again); %.2f ms of process CPU per message", batch.summary().read(), batch.alerts(),
                        batch.seconds(), batch.cpuMillisPerMessage())), console);
        report.add(Figure.of("6 batch", "batch / streaming",
                String.format("%.2f", batch.messagesPerSecond() / stream.messagesPerSecond()),
                "end to end, both with their fixed costs"), console);
    }

    /**
     * Row 5's compaction figures: its streaming run twice more, warm, without compaction and then with it (the
     * default), their files and their cost. Not against row 5's timed run itself: it runs the JVM's just-in-time
     * compiler more than the runs after it, which would count as compaction's cost.
     */
    private static void compaction(BenchSettings bench, Corpus corpus, Report report, PrintStream console)
            throws Exception {
        Map<String, String> off = new HashMap<>(bench.configOverrides());
        off.put("archive.compaction.interval", "0s");
        console.println("Streaming run again without archive compaction, then with it");
        Path plainDir = bench.workDir().resolve("stream-uncompacted");
        JobRun plain = StreamingThroughput.run(corpus.file(), plainDir, ConfigLoader.load(null, off), console);
        Path compactedDir = bench.workDir().resolve("stream-compacted");
        TraceAnalyticsConfig config = ConfigLoader.load(null, bench.configOverrides());
        JobRun compacted = StreamingThroughput.run(corpus.file(), compactedDir, config, console);
        ArchiveCompactionCost.Census compactedFiles = ArchiveCompactionCost.census(compactedDir.resolve("archive"));
        ArchiveCompactionCost.Census plainFiles = ArchiveCompactionCost.census(plainDir.resolve("archive"));
        report.add(Figure.of("5 archive", "archive files, compacted (default) / not compacted",
                String.format("%,d / %,d", compactedFiles.files(), plainFiles.files()),
                String.format("compacted: %s; not compacted (`archive.compaction.interval=0`): %s; every table, "
                                + "checkpoints every %ds, a %.0f s run: live, without compaction each table "
                                + "partition gets a file per writing subtask and checkpoint (720 an hour at "
                                + "parallelism 2), with it one per hour", compactedFiles.describe(),
                        plainFiles.describe(), config.flink().checkpointInterval().toSeconds(), plain.seconds())),
                console);
        report.add(Figure.of("5 archive", "cost of compaction, process CPU per message",
                String.format("%+.3f ms", compacted.cpuMillisPerMessage() - plain.cpuMillisPerMessage()),
                String.format("%.3f ms with compaction, %.3f ms without: row 5's run twice more, warm, without then "
                                + "with; wall clock %.1f s / %.1f s; compaction copies the part files' row groups "
                                + "byte for byte (rewrites the rows of those averaging under 1 MiB a row group)",
                        compacted.cpuMillisPerMessage(), plain.cpuMillisPerMessage(),
                        compacted.seconds(), plain.seconds())), console);
    }

    private static void state(BenchSettings bench, TraceAnalyticsConfig config, Corpus corpus, Report report,
            PrintStream console) throws Exception {
        StateFootprint state = stateFootprint(config, corpus, bench);
        for (StateFootprint.Backend backend : StateFootprint.Backend.values()) {
            for (int spans : bench.openSpans()) {
                StateFootprint.Size size = state.openSpans(backend, spans, false);
                report.add(Figure.of("4 state", String.format("per open span, %s, %,d spans",
                                backend.name().toLowerCase(), spans), Figure.bytes(size.bytesPerKey()),
                        String.format("%,d B snapshot of span-session (the span so far, its thresholds and its "
                                + "housekeeping timer, of its start and one update); target ≤ 500 B",
                                size.snapshotBytes())), console);
            }
            StateFootprint.Size exported = state.openSpans(backend, bench.openSpans().get(0), true);
            report.add(Figure.of("4 state", String.format("per open span, with the OTLP span export, %s",
                            backend.name().toLowerCase()), Figure.bytes(exported.bytesPerKey()),
                    "`stream --otlp-out` (or `span-metrics.dimensions`): the session holds the start's "
                            + "attributes, resource attributes and trace state until the completion"), console);
            StateFootprint.Size waiting = state.waitingMessages(backend, bench.openSpans().get(0));
            report.add(Figure.of("4 state", String.format("per message waiting for the watermark, %s",
                            backend.name().toLowerCase()), Figure.bytes(waiting.bytesPerKey()),
                    "span-session holds each message (without its original JSON) until the watermark passes "
                            + "it: × rate × out-of-orderness"), console);
            StateFootprint.Size ids = state.messageIds(backend, bench.messageIds());
            report.add(Figure.of("4 state", String.format("per message id in the duplicate window, %s, %,d ids",
                            backend.name().toLowerCase(), bench.messageIds()), Figure.bytes(ids.bytesPerKey()),
                    String.format("%,d B snapshot of deduplicate-messages: ids spread over one "
                            + "`ingest.duplicate-window`, each a 128-bit digest in its shard's set of its bucket, a "
                            + "timer per (shard, bucket); target ≤ 40 B", ids.snapshotBytes())), console);
            for (int keys : bench.operationKeys()) {
                StateFootprint.Size size = state.operationBaselines(backend, keys);
                report.add(Figure.of("4 state", String.format("per (service, operation) baseline, %s, %,d keys",
                                backend.name().toLowerCase(), keys), Figure.bytes(size.bytesPerKey()),
                        String.format("%,d B snapshot of degradation-detector", size.snapshotBytes())), console);
            }
        }

    }

    private static void notRun(Report report, String section, PrintStream console) {
        report.add(Figure.of(section, "not run", "—", "left out of this run with --rows"), console);
    }

    /** The rows asked for, with the rows they need: 3 needs 2's rate, 2 needs 1's ceiling (for its ratio). */
    static Set<Integer> withPrerequisites(Set<Integer> rows) {
        Set<Integer> all = new TreeSet<>(rows);
        if (all.contains(3)) {
            all.add(2);
        }
        if (all.contains(2)) {
            all.add(1);
        }
        return all;
    }

    /** Row 7: ours against Flink SQL and Esper on the same in-memory events. */
    private static void peers(BenchSettings bench, TraceAnalyticsConfig config, Report report, PrintStream console)
            throws Exception {
        Peers.Result peers = Peers.run(PeerCorpus.lines(bench), config, console);
        PeerRun ours = peers.ours();
        report.add(Figure.of("7 peers", "ours: the sustained-breach counter and the span session (incomplete "
                        + "span) on the embedded Flink, parallelism 2, detection only",
                Figure.rate(ours.eventsPerSecond(), "events/s"),
                String.format("%,d events (%,d metric evaluations, %,d span starts and completions) parsed beforehand "
                                + "from %d times the corpus's event time of its traffic, with faults (%s), held in memory; the median of %d rounds "
                                + "after %d untimed ones, from the first event to the end of the input (job set-up "
                                + "not included, as Esper's compiling is not); found %,d sustained_breach and %,d "
                                + "incomplete_span",
                        peers.input().size(), peers.input().evaluations().size(),
                        peers.input().startsAndCompletions().size(),
                        PeerCorpus.LENGTH, String.join(", ", PeerCorpus.faults(PeerCorpus.duration(bench))),
                        Peers.TIMED_ROUNDS,
                        Peers.WARM_UP_ROUNDS, ours.count(Detected.SUSTAINED_BREACH),
                        ours.count(Detected.INCOMPLETE_SPAN))), console);
        for (PeerRun peer : peers.runs().subList(1, peers.runs().size())) {
            Peers.Disagreement d = peers.against(peer);
            String agreement = d.agree()
                    ? String.format("agrees with ours on all %,d alerts (rule, subject, start)", ours.detected().size())
                    : String.format("**disagrees** with ours: %,d alerts only ours found, %,d only it found "
                                    + "(first: %s / %s; see NOTES)", d.onlyOurs().size(), d.onlyPeer().size(),
                            d.onlyOurs().isEmpty() ? "none" : d.onlyOurs().get(0),
                            d.onlyPeer().isEmpty() ? "none" : d.onlyPeer().get(0));
            report.add(Figure.of("7 peers", peer.engine() + ", detection only",
                    Figure.rate(peer.eventsPerSecond(), "events/s"),
                    String.format("%.2f × ours; %s; %s", peer.eventsPerSecond() / ours.eventsPerSecond(), agreement,
                            peerHow(peer.engine()))), console);
        }
        PeerRun floor = peers.floor();
        report.add(Figure.of("7 peers", floor.engine(), Figure.rate(floor.eventsPerSecond(), "events/s"),
                String.format("ours' job, its functions doing nothing: the same sources, event times, watermarks and "
                                + "keyed shuffles (same keys, same serializers), no state, no timer, no output; same "
                                + "timing; ours' time is %.2f × the floor's (its detection: the rest), Esper's "
                                + "%.2f ×",
                        ours.seconds() / floor.seconds(), esperSeconds(peers) / floor.seconds())), console);
    }

    private static double esperSeconds(Peers.Result peers) {
        return peers.runs().stream().filter(run -> run.engine().equals(PeerEsper.ENGINE)).findFirst()
                .orElseThrow().seconds();
    }

    private static String peerHow(String engine) {
        return switch (engine) {
            case PeerFlinkSql.ENGINE -> "same embedded Flink, same timing. Cannot express: the absence of a "
                    + "completion (no timed-out matches) nor a per-span timeout (WITHIN is one constant): each start "
                    + "gets a synthetic deadline row upstream and the pattern is start-then-deadline; the N-of-M "
                    + "budget needs running SUMs over 0/1 columns a view derives";
            case PeerEsper.ENGINE -> "one thread, its clock set from event time, same rounds, from the first event to "
                    + "the last; DEFINE takes no aggregates, so the N-of-M budget is spelt out as pattern "
                    + "alternatives; the absence and per-span timeout are native (every start -> timer:interval and "
                    + "not end)";
            default -> "";
        };
    }

    /** Templates for the state figures: the corpus's first accepted start and update, as the detectors get them. */
    private static StateFootprint stateFootprint(TraceAnalyticsConfig config, Corpus corpus, BenchSettings bench)
            throws IOException {
        MessageValidator validator = new MessageValidator(config.ingest().maxMessageBytes(),
                config.ingest().deadLetterPayloadBytes(), new HashSet<>(config.ingest().protocolVersions()));
        TraceEvent start = null;
        TraceEvent update = null;
        for (byte[] line : corpus.head(10_000)) {
            Validated result = validator.validate(new RawMessage(line, line.length, "template", 0L));
            if (result.isAccepted()) {
                TraceEvent event = result.event();
                if (start == null && event.messageType == MessageType.START) {
                    start = event;
                } else if (update == null && event.messageType == MessageType.UPDATE) {
                    update = event;
                }
            }
        }
        if (start == null || update == null) {
            throw new IllegalStateException("the corpus has no accepted start or update among its first lines");
        }
        // as the pipeline hands them to the detectors: without the original JSON (the span details are left out
        // per figure, as the pipeline does without an OTLP span export)
        return new StateFootprint(config, start.withoutPayload(), update.withoutPayload(),
                bench.workDir().resolve("state"));
    }
}
