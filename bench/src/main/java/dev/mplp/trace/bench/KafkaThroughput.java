package dev.mplp.trace.bench;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.jobs.StreamJob;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.testing.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Row 2's live run: the streaming job exactly as {@code trace-analytics stream --source kafka://…} runs it (every
 * detector, the Parquet archive, checkpoints as configured) on the embedded Flink, reading a topic of
 * {@link #PARTITIONS} partitions keyed by trace id on a real Kafka broker (a child process, {@link KafkaBroker}).
 *
 * <p>First a backlog is preloaded and the job drains it: its rate while draining is the most it can read. Then a
 * paced producer in this JVM ({@link TrafficProducer}) sends generated traffic at {@link BenchSettings.Live#share}
 * of that rate, in real time, at a density of as many messages per second of event time, so that the duplicate
 * window and the open spans grow to the size that rate gives them. After a warm-up, the steady state: the lag
 * (the topic's end offsets, summed, minus messages the job has read) is sampled, checkpoints counted, and the CPU
 * of every thread taken at its start and end. Then the rate steps once, and the steady state is measured again:
 * down when the lag grew, up when it stayed flat (the first rate is a guess: a share of the drain rate); the faster
 * steady state that held counts.
 */
final class KafkaThroughput {

    static final int PARTITIONS = 4;
    static final String TOPIC = "bench-traffic";
    /** The lag the steady state waits for before it starts, in traffic: the job's progress reports lag by ~5 s. */
    static final Duration CAUGHT_UP = Duration.ofSeconds(10);
    /** Lag growth, as a share of the rate, below which the lag counts as flat. */
    static final double FLAT = 0.01;

    /** One measured steady state. */
    record Steady(double targetRate, double pace, double rate, double offered, long messages, double seconds,
            List<long[]> lag,
            double lagGrowthPerSecond, EmbeddedRest.Checkpoints checkpointsBefore,
            EmbeddedRest.Checkpoints checkpointsAfter, Map<String, Double> cpuByThreads, double processCpuSeconds,
            double brokerCpuSeconds, Duration eventTimeAtStart, Duration eventTimeAtEnd) {

        long checkpointsCompleted() {
            return checkpointsAfter.completed() - checkpointsBefore.completed();
        }

        long checkpointsFailed() {
            return checkpointsAfter.failed() - checkpointsBefore.failed();
        }

        /** Lag flat (it grew by less than {@link #FLAT} of the rate) and checkpoints completing, none failing. */
        boolean sustained() {
            return lagGrowthPerSecond < FLAT * rate && checkpointsCompleted() > 0 && checkpointsFailed() == 0;
        }

        /**
         * The rate the job kept up with: what reached the topic when the lag stayed flat (the job's read rate would
         * count a backlog it caught up with), else what the job read.
         */
        double sustainableRate() {
            return sustained() ? offered : rate;
        }

        long maxLag() {
            return lag.stream().mapToLong(sample -> sample[1]).max().orElse(0);
        }

        long lagAtStart() {
            return lag.isEmpty() ? 0 : lag.get(0)[1];
        }

        long lagAtEnd() {
            return lag.isEmpty() ? 0 : lag.get(lag.size() - 1)[1];
        }

        /** CPU milliseconds per message read of a thread group. */
        double millisPerMessage(double cpuSeconds) {
            return cpuSeconds * 1000 / messages;
        }

        /** The CPU of the benchmark's producer: its own thread and its Kafka client's. */
        double producerCpuSeconds() {
            return cpuByThreads.entrySet().stream().filter(group -> isProducer(group.getKey()))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        /** True for a thread group of the benchmark's producer, which is not the job's. */
        static boolean isProducer(String threadGroup) {
            return threadGroup.startsWith(TrafficProducer.THREAD)
                    || threadGroup.contains("| " + TrafficProducer.CLIENT_ID);
        }
    }

    /**
     * @param backlog messages preloaded
     * @param maxRate the job's rate while draining them
     * @param drainCpuMillisPerMessage the process's CPU per message read while draining (after the first fifth)
     * @param messagesPerTrace of the generated traffic (for its rate in traces per second)
     * @param tracesPerSecond of the paced traffic
     * @param pacedStart event time of the paced traffic's first trace
     * @param steady every steady state measured, in order ({@link #counted} is the one that counts)
     */
    record Result(long backlog, double maxRate, double drainCpuMillisPerMessage, double messagesPerTrace,
            double tracesPerSecond, Instant pacedStart, List<Steady> steady) {

        /** The steady state that counts: the fastest that held, else the last one measured (the step down). */
        Steady counted() {
            return steady.stream()
                    .filter(Steady::sustained)
                    .max(Comparator.comparingDouble(Steady::sustainableRate))
                    .orElse(steady.get(steady.size() - 1));
        }

        /** The paced traffic's messages per second of event time. */
        double density() {
            return tracesPerSecond * messagesPerTrace;
        }
    }

    private KafkaThroughput() {}

    /**
     * @param messagesPerTraceGuess messages per trace of the generator's traffic, for the backlog's rate in traces
     */
    static Result run(BenchSettings bench, double messagesPerTraceGuess, Path outDir, PrintStream console)
            throws Exception {
        BenchSettings.Live live = bench.live();
        // the broker as Kafka's scripts run it: the test broker's C1-only JVM took more of the job's two cores
        try (KafkaBroker broker = new KafkaBroker().withKafkaScriptsJvm().start();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            broker.createTopic(TOPIC, PARTITIONS);
            LongSupplier produced = () -> topicEnd(admin);
            Instant start = GeneratorSettings.DEFAULT_START;
            double backlogSeconds = live.backlogMessages() / live.backlogDensity();
            double backlogTraces = live.backlogDensity() / messagesPerTraceGuess;
            GeneratorSettings backlogSettings = GeneratorSettings.builder()
                    .seed(bench.seed())
                    .start(start)
                    .duration(Duration.ofMillis((long) (backlogSeconds * 1000)))
                    .rate(backlogTraces)
                    .build();
            TrafficProducer producer = new TrafficProducer(broker.bootstrapServers(), TOPIC);
            try {
                console.printf("Kafka run: preloading %.0f s of event time at %,.0f msg/s (%s)%n", backlogSeconds,
                        live.backlogDensity(), broker.bootstrapServers());
                TrafficGenerator backlogTraffic = new TrafficGenerator(backlogSettings);
                long backlog = producer.sendAll(() -> backlogTraffic.stream().map(KafkaThroughput::ownMetricsId)
                        .iterator());
                double messagesPerTrace = backlog / (backlogSeconds * backlogTraces);
                console.printf("Kafka run: %,d messages preloaded into %d partitions%n", backlog, PARTITIONS);

                EmbeddedRest rest = new EmbeddedRest();
                Map<String, String> overrides = new HashMap<>(bench.configOverrides());
                overrides.put("kafka.starting-offsets", "earliest");
                overrides.put("rest.port", Integer.toString(rest.port()));
                TraceAnalyticsConfig config = ConfigLoader.load(null, overrides);
                ProgressRate progress = new ProgressRate(console);
                AtomicReference<Exception> failure = new AtomicReference<>();
                Thread job = new Thread(() -> {
                    try {
                        StreamJob.run(StreamingThroughput.options(
                                new Endpoint.Kafka(broker.bootstrapServers(), TOPIC), outDir), config, progress);
                    } catch (Exception e) {
                        failure.set(e);
                    }
                }, "bench-stream-job");
                job.start();
                try {
                    return drainThenPace(bench, live, producer, produced, backlog, messagesPerTrace, start, rest,
                            progress, broker, job, failure, console);
                } finally {
                    // also when the measurement failed: a job left running would retry a stopped broker forever
                    rest.runningJob().ifPresent(id -> {
                        try {
                            rest.cancel(id);
                        } catch (IOException e) {
                            console.println("Could not cancel the Kafka run's job: " + e.getMessage());
                        }
                    });
                    job.join(60_000);
                }
            } finally {
                producer.close();
            }
        }
    }

    private static Result drainThenPace(BenchSettings bench, BenchSettings.Live live, TrafficProducer producer,
            LongSupplier produced, long backlog, double messagesPerTrace, Instant start, EmbeddedRest rest,
            ProgressRate progress, KafkaBroker broker, Thread job, AtomicReference<Exception> failure,
            PrintStream console) throws Exception {
        String jobId = awaitJob(rest, job, failure);

        // the most it reads: draining the backlog (JIT warm-up left out: the first fifth)
        long drainStart = System.nanoTime();
        double cpuFrom = Double.NaN;
        long readFrom = 0;
        while (progress.lastRead() < backlog) {
            checkAlive(job, failure);
            Thread.sleep(500);
            if (Double.isNaN(cpuFrom) && progress.lastRead() >= backlog / 5) {
                cpuFrom = JobRun.processCpuSeconds();
                readFrom = progress.lastRead();
            }
        }
        long drained = progress.lastRead() - readFrom;
        // NaN when the backlog was read between two polls (the smoke test's)
        double drainCpuMillisPerMessage = drained > 0
                ? (JobRun.processCpuSeconds() - cpuFrom) * 1000 / drained
                : Double.NaN;
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        double maxRate = progress.rateBetween(backlog / 5, backlog - 1);
        if (Double.isNaN(maxRate)) {
            maxRate = backlog / drainSeconds;
        }
        console.printf("Kafka run: backlog drained at %,.0f msg/s%n", maxRate);

        // paced at a share of it, at a density of as many messages per second of event time
        double target = live.share() * maxRate;
        double tracesPerSecond = target / messagesPerTrace;
        Instant pacedStart = producer.lastDelivery().plusSeconds(1);
        GeneratorSettings pacedSettings = pacedSettings(bench, pacedStart, tracesPerSecond);
        producer.startPaced(new TrafficGenerator(pacedSettings).iterator(), 1);
        List<Steady> steady = new ArrayList<>();
        console.printf("Kafka run: paced at %,.0f msg/s, %d s warm-up%n", target, live.warmUp().toSeconds());
        sleep(live.warmUp(), job, failure);
        double pace = 1;
        Steady first = measure(live, target, pace, producer, produced, progress, rest, jobId, broker, job,
                failure, start, console);
        steady.add(first);
        double next = (first.sustained() ? live.stepUp() : live.stepDown()) * target;
        double nextPace = target / next;
        if (first.sustained()) {
            console.printf("Kafka run: held; stepping up to %,.0f msg/s%n", next);
        } else {
            console.printf("Kafka run: the lag grew (%,.0f msg/s); stepping down to %,.0f msg/s%n",
                    first.lagGrowthPerSecond(), next);
        }
        producer.pace(nextPace);
        sleep(live.warmUp(), job, failure);
        steady.add(measure(live, next, nextPace, producer, produced, progress, rest, jobId, broker,
                job, failure, start, console));
        return new Result(backlog, maxRate, drainCpuMillisPerMessage, messagesPerTrace, tracesPerSecond, pacedStart,
                steady);
    }

    /**
     * A backlog message, its {@code message_id} changed if it is a metrics message: the generator numbers each
     * service's metrics messages from 1 in every run ({@code msg-metrics-checkout-000006}), so the paced traffic's,
     * another run's, would repeat the backlog's within the duplicate window and be dead-lettered as duplicates.
     * Span messages' ids come from their span ids, which differ.
     */
    static GeneratedMessage ownMetricsId(GeneratedMessage message) {
        if (message.type() != MessageType.METRICS) {
            return message;
        }
        return new GeneratedMessage(message.sequence(), message.eventTime(), message.deliveryTime(), message.type(),
                message.traceId(), message.spanId(), message.service(), message.operation(), message.faults(),
                message.malformation(), message.expectedReason(),
                message.json().replace("\"message_id\":\"msg-metrics-", "\"message_id\":\"msg-metrics-backlog-"));
    }

    /** Records in the topic: its partitions' end offsets, summed. */
    private static long topicEnd(Admin admin) {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ends.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + TOPIC, e);
        }
    }

    /**
     * The paced traffic: the same generator, another seed, from {@code start}, long enough for any run (it is
     * generated lazily as it is sent).
     */
    static GeneratorSettings pacedSettings(BenchSettings bench, Instant start, double tracesPerSecond) {
        return GeneratorSettings.builder()
                .seed(bench.seed() + 1)
                .start(start)
                .duration(Duration.ofHours(2))
                .rate(tracesPerSecond)
                .build();
    }

    private static Steady measure(BenchSettings.Live live, double target, double pace, TrafficProducer producer,
            LongSupplier produced, ProgressRate progress, EmbeddedRest rest, String jobId, KafkaBroker broker,
            Thread job,
            AtomicReference<Exception> failure, Instant start, PrintStream console)
            throws Exception {
        awaitCaughtUp(live, target, produced, progress, job, failure, console);
        console.printf("Kafka run: steady state at %,.0f msg/s for %d s%n", target, live.steady().toSeconds());
        EmbeddedRest.Checkpoints checkpointsBefore = rest.checkpoints(jobId);
        double brokerBefore = brokerCpuSeconds(broker);
        long readBefore = progress.lastRead();
        long producedBefore = produced.getAsLong();
        ThreadCpu cpuBefore = ThreadCpu.now();
        Duration eventTimeAtStart = Duration.between(start, producer.lastDelivery());
        List<long[]> lag = new ArrayList<>();
        long end = System.nanoTime() + live.steady().toNanos();
        while (System.nanoTime() < end) {
            checkAlive(job, failure);
            producer.failIfBroken();
            long now = System.nanoTime();
            lag.add(new long[] {now, produced.getAsLong() - progress.lastRead()});
            Thread.sleep(Math.min(live.lagSample().toMillis(), Math.max(1, (end - now) / 1_000_000)));
        }
        ThreadCpu cpuAfter = ThreadCpu.now();
        long read = progress.lastRead() - readBefore;
        long sent = produced.getAsLong() - producedBefore;
        double brokerCpu = brokerCpuSeconds(broker) - brokerBefore;
        EmbeddedRest.Checkpoints checkpointsAfter = rest.checkpoints(jobId);
        double seconds = cpuAfter.secondsSince(cpuBefore);
        Steady steady = new Steady(target, pace, read / seconds, sent / seconds, read, seconds, lag, lagGrowth(lag),
                checkpointsBefore, checkpointsAfter, cpuAfter.since(cpuBefore), cpuAfter.processCpuSince(cpuBefore),
                brokerCpu, eventTimeAtStart, Duration.between(start, producer.lastDelivery()));
        console.printf("Kafka run: %,.0f msg/s sent, %,.0f msg/s read, lag %,d → %,d (max %,d), growth %,.1f msg/s, "
                        + "%d checkpoints completed, %d failed%n", steady.offered(), steady.rate(),
                steady.lagAtStart(), steady.lagAtEnd(),
                steady.maxLag(), steady.lagGrowthPerSecond(), steady.checkpointsCompleted(),
                steady.checkpointsFailed());
        return steady;
    }

    /**
     * Waits, at most one more warm-up, until the lag is down to {@link #CAUGHT_UP} of traffic: a job still
     * catching up on the backlog when the steady state starts would read faster than the paced feed sends.
     */
    private static void awaitCaughtUp(BenchSettings.Live live, double rate, LongSupplier produced,
            ProgressRate progress, Thread job, AtomicReference<Exception> failure, PrintStream console)
            throws Exception {
        long deadline = System.nanoTime() + live.warmUp().toNanos();
        long lag = produced.getAsLong() - progress.lastRead();
        while (lag > rate * CAUGHT_UP.toMillis() / 1000 && System.nanoTime() < deadline) {
            sleep(live.lagSample(), job, failure);
            lag = produced.getAsLong() - progress.lastRead();
        }
        console.printf("Kafka run: lag %,d at the steady state's start%n", lag);
    }

    /**
     * How fast the lag grew, messages per second: the mean of the last fifth of the samples minus the mean of the
     * first fifth, over the time between their middles. Means over a fifth smooth out the saw-tooth of the job's
     * progress reports (the read count comes with heartbeats, every 2 s) and of checkpoints.
     */
    static double lagGrowth(List<long[]> lag) {
        int fifth = Math.max(1, lag.size() / 5);
        if (lag.size() < 2) {
            return 0;
        }
        List<long[]> head = lag.subList(0, fifth);
        List<long[]> tail = lag.subList(lag.size() - fifth, lag.size());
        double seconds = (mean(tail, 0) - mean(head, 0)) / 1e9;
        return seconds <= 0 ? 0 : (mean(tail, 1) - mean(head, 1)) / seconds;
    }

    private static double mean(List<long[]> samples, int column) {
        return samples.stream().mapToLong(sample -> sample[column]).average().orElse(0);
    }

    private static double brokerCpuSeconds(KafkaBroker broker) {
        return broker.processHandle()
                .flatMap(process -> process.info().totalCpuDuration())
                .map(cpu -> cpu.toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    private static String awaitJob(EmbeddedRest rest, Thread job, AtomicReference<Exception> failure)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive(job, failure);
            var running = rest.runningJob();
            if (running.isPresent()) {
                return running.get();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the streaming job did not start within 2 minutes");
    }

    private static void sleep(Duration duration, Thread job, AtomicReference<Exception> failure) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            checkAlive(job, failure);
            Thread.sleep(Math.max(1, Math.min(1_000, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void checkAlive(Thread job, AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException("the streaming job failed", failure.get());
        }
        if (!job.isAlive()) {
            throw new IllegalStateException("the streaming job ended before it was stopped");
        }
    }
}
