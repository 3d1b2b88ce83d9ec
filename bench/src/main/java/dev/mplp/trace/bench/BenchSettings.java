package dev.mplp.trace.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How big one benchmark run is. {@link #full} is what {@code BENCHMARKS.md} is made with; {@link #smoke} runs every
 * measurement on a tiny input in seconds, so that the benchmark cannot rot unnoticed (the figures it gives mean
 * nothing).
 *
 * @param seed the generator's seed (default topology, no faults: the corpus every throughput figure reads)
 * @param corpusDuration event time of the generated corpus
 * @param corpusRate traces per second of event time in the corpus
 * @param ceilingSampleMessages how many of the corpus's messages the parse ceiling loops over (held in memory)
 * @param ceilingWarmUp how long the parse loop runs before it is timed (JIT)
 * @param ceilingMeasure how long it is timed
 * @param latencyDuration event time, and wall-clock time, of the paced latency run
 * @param latencyMaxRate the most messages per second the latency feed sends, whatever row 2 says
 * @param latencyOutOfOrderness {@code event-time.max-out-of-orderness} during the latency run
 * @param openSpans the open-span counts the per-span state is measured at
 * @param operationKeys the (service, operation) counts the baseline state is measured at
 * @param live the Kafka run of row 2 and the file runs at its density
 * @param workDir where inputs and outputs of the runs go (replaced)
 * @param configOverrides {@code --set}-style changes to the job's default configuration for every run
 */
public record BenchSettings(
        long seed,
        Duration corpusDuration,
        double corpusRate,
        int ceilingSampleMessages,
        Duration ceilingWarmUp,
        Duration ceilingMeasure,
        Duration latencyDuration,
        double latencyMaxRate,
        Duration latencyOutOfOrderness,
        List<Integer> openSpans,
        List<Integer> operationKeys,
        Live live,
        Path workDir,
        Map<String, String> configOverrides) {

    /**
     * Row 2's live run through Kafka and its file runs.
     *
     * @param backlogMessages messages preloaded into the topic before the job starts; the job's rate while draining
     *     them is its maximum
     * @param backlogDensity messages per second of event time in the backlog (a guess of the job's rate: the rate
     *     is not known before the backlog is drained)
     * @param share of the maximum rate the paced feed sends first
     * @param stepDown of that rate it sends when the lag grew (once)
     * @param stepUp of that rate it sends when the lag stayed flat (once): the faster steady state that holds counts
     * @param warmUp paced, before the steady state is measured
     * @param steady the steady state measured: lag sampled, CPU per chain taken at its start and end
     * @param lagSample how often the lag is sampled
     * @param fileCorpus event time of the corpus the file rows read, at the paced feed's density
     */
    public record Live(long backlogMessages, double backlogDensity, double share, double stepDown, double stepUp,
            Duration warmUp, Duration steady, Duration lagSample, Duration fileCorpus) {

        /** The same with another steady state (a shorter one to try the benchmark out). */
        public Live withSteady(Duration steady) {
            return new Live(backlogMessages, backlogDensity, share, stepDown, stepUp, warmUp, steady, lagSample,
                    fileCorpus);
        }
    }

    /** The fixed seed of every generated input. */
    public static final long SEED = 8L;

    public BenchSettings {
        openSpans = List.copyOf(openSpans);
        operationKeys = List.copyOf(operationKeys);
        configOverrides = Map.copyOf(configOverrides);
    }

    /** The official run: a corpus large enough that the job's start is a small part of its time. */
    public static BenchSettings full(Path workDir) {
        return new BenchSettings(
                SEED,
                Duration.ofMinutes(10),
                // the generator's default rate, 20 traces/s: ~ 80 messages/s of event time
                20,
                20_000,
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                100_000,
                Duration.ofMillis(50),
                // 1M open spans fit (about 1 GB of heap per detector) but take many minutes per backend on 2
                // cores: add it with --open-spans 10000,100000,1000000
                List.of(10_000, 100_000),
                List.of(100, 1_000, 10_000, 100_000),
                // 600,000 messages: about a minute of draining at the rates seen so far (7,000 to 13,000 msg/s);
                // paced at 80 % of the drain: the feed's producer shares the 2 cores (a fifth of the process's CPU per
                // message in a trial run), which the drain of a preloaded backlog did not have to (90 % and its step
                // down to 85 % were both not held there); held, it tries 90 % (a job that got cheaper per message
                // than that trial's is not held back by the first guess)
                new Live(600_000, 10_000, 0.8, 0.85, 1.125, Duration.ofSeconds(60), Duration.ofMinutes(5),
                        Duration.ofSeconds(5), Duration.ofSeconds(60)),
                workDir,
                Map.of());
    }

    /**
     * How many message ids the duplicate window's state is measured at: ten times the largest open-span count (a
     * million in the full run, the ids of 20 s at 50,000 messages per second; per id, the state is about the same at
     * 30 million, the window's worth, whose sets are as full, but takes many minutes to fill).
     */
    public int messageIds() {
        return 10 * openSpans.stream().mapToInt(Integer::intValue).max().orElse(1_000);
    }

    /** The same with other open-span counts. */
    public BenchSettings withOpenSpans(List<Integer> counts) {
        return new BenchSettings(seed, corpusDuration, corpusRate, ceilingSampleMessages, ceilingWarmUp,
                ceilingMeasure, latencyDuration, latencyMaxRate, latencyOutOfOrderness, counts, operationKeys, live,
                workDir, configOverrides);
    }

    /** The same with another steady state of the Kafka run. */
    public BenchSettings withSteady(Duration steady) {
        return new BenchSettings(seed, corpusDuration, corpusRate, ceilingSampleMessages, ceilingWarmUp,
                ceilingMeasure, latencyDuration, latencyMaxRate, latencyOutOfOrderness, openSpans, operationKeys,
                live.withSteady(steady), workDir, configOverrides);
    }

    /** Every measurement, on inputs that take seconds. */
    public static BenchSettings smoke(Path workDir) {
        return new BenchSettings(
                SEED,
                Duration.ofSeconds(20),
                5,
                200,
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                Duration.ofSeconds(3),
                100,
                Duration.ofMillis(50),
                List.of(100),
                List.of(10),
                new Live(1_000, 200, 0.9, 0.85, 1.1, Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(1), Duration.ofSeconds(2)),
                workDir,
                // a bounded run ends with a checkpoint: do not wait the default 10 s for it
                Map.of("execution.checkpointing.interval", "1s"));
    }
}
