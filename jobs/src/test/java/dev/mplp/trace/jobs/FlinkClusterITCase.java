package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.FlinkCluster;
import dev.mplp.trace.testing.KafkaBrokerExtension;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.S3ProxyExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a real Flink standalone cluster (a JobManager and a TaskManager as processes, from
 * {@code docker/flink-cluster}), submitted over REST ({@code /jars/upload}, {@code /jars/:id/run}), reading from a real
 * Kafka broker and archiving to a real S3 store (S3Proxy). Each run's alerts (read_committed) and archived messages
 * are compared with what the same traffic gives on an embedded Flink: the same alerts, each once; one archive row per
 * accepted message. The fault test runs last: the services it disturbs are shared by the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterITCase {

    @RegisterExtension
    static final MiniClusters.Extension EMBEDDED = MiniClusters.extension();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension("cluster-archive");

    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));
    private static final String PROGRAM = "dev.mplp.trace.jobs.TraceAnalytics";
    // generous: on the loaded 2-core machine a 60-second traffic took the cluster over 4 minutes (restarts included)
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    /** Log lines that say how a transactional output came through a failure. */
    private static final Pattern RECOVERY_EVENTS = Pattern.compile("ProducerFenced|already fenced|InvalidTxnState"
            + "|InvalidPid|(?i:lingering|abort(ed|ing) transaction)|Restoring job|Completed checkpoint|declined"
            + "|expired before completing|switched from RUNNING to (FAILED|CANCELING)");

    /** One traffic for every run: spans with a CPU breach (alerts), malformed and duplicate messages (dead letters). */
    private static final List<GeneratedMessage> TRAFFIC = new TrafficGenerator(GeneratorSettings.builder()
                    .seed(41)
                    .start(Instant.parse("2025-09-03T10:00:00Z"))
                    .duration(Duration.ofSeconds(60))
                    .rate(3)
                    .fault("cpu:catalog@+10s/20s:percent=97")
                    .fault("malformed:*:fraction=0.03")
                    .fault("duplicate:*:fraction=0.03")
                    .build())
            .stream()
            .toList();

    private static FlinkCluster cluster;
    private static String jarId;
    private static Expected expected;

    @TempDir
    static Path dir;

    /** The alerts, dead letters and accepted messages the embedded Flink makes of {@link #TRAFFIC}. */
    private record Expected(List<String> alerts, List<String> deadLetters, List<String> acceptedMessageIds) {}

    @BeforeAll
    static void startClusterAndRunTheReference() throws Exception {
        cluster = new FlinkCluster()
                .withProperty("s3.endpoint", S3.server().endpoint())
                .withProperty("s3.path.style.access", "true")
                .withProperty("s3.endpoint.region", "us-east-1")
                .withProperty("s3.access-key", S3.server().accessKey())
                .withProperty("s3.secret-key", S3.server().secretKey())
                .start();
        jarId = cluster.rest().uploadJar(JAR);

        KAFKA.createTopic("reference-traffic", 1);
        TrafficWriter.toKafka(TRAFFIC, KAFKA.bootstrapServers(), "reference-traffic", 0, Map.of());
        Path reference = dir.resolve("reference");
        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(
                        kafka("reference-traffic"),
                        Endpoint.parse("file:" + reference.resolve("alerts")),
                        Endpoint.parse("file:" + reference.resolve("dead-letters")),
                        null,
                        true).withArchive(ArchiveLocation.parse("file:" + reference.resolve("archive"))),
                ConfigLoader.load(null, Map.of("execution.checkpointing.interval", "1s", "kafka.group-id", "reference")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(summary.read()).isEqualTo(TRAFFIC.size());
        assertThat(summary.late()).as("no message behind the watermark: a restore could not change what is late")
                .isZero();
        expected = new Expected(
                JsonLinesOutput.read(reference.resolve("alerts")).stream().map(OutputKeys::alertKey).toList(),
                JsonLinesOutput.read(reference.resolve("dead-letters")).stream()
                        .map(OutputKeys::deadLetterKey)
                        .toList(),
                OutputKeys.messageIds(reference.resolve("archive")));
        assertThat(expected.alerts()).as("the traffic raises alerts").isNotEmpty().doesNotHaveDuplicates();
        assertThat(expected.deadLetters()).as("the traffic has malformed and duplicated messages").isNotEmpty()
                .doesNotHaveDuplicates();
        assertThat(expected.acceptedMessageIds()).hasSize((int) summary.accepted());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(3)
    void recoversFromTaskManagerLossS3OutageAndBrokerRestartWithNothingLostOrDoubled() throws Exception {
        Run run = new Run("faults");
        String jobId = run.submit(false, null);
        cluster.rest().awaitAllTasksRunning(jobId, RUN_TIMEOUT);
        // 60 s of event time over 120 s: the faults below hit while the job reads
        CompletableFuture<Long> producing = CompletableFuture.supplyAsync(() -> run.produce(TRAFFIC, 2.0));

        long restoresBefore = 0;
        for (int kill = 0; kill < 2; kill++) {
            awaitCompletedCheckpoint(jobId);
            cluster.killTaskManager();
            cluster.startTaskManager();
            restoresBefore = awaitRestore(jobId, restoresBefore);
        }

        // frozen, not killed: see S3ProxyServer#pause (a killed S3Proxy can lose a multipart upload that a completed
        // checkpoint still has to commit, and the job then fails at every restore)
        awaitCompletedCheckpoint(jobId);
        S3.server().pause();
        try {
            Thread.sleep(30_000);
        } finally {
            S3.server().resume();
        }
        cluster.rest().awaitAllTasksRunning(jobId, RUN_TIMEOUT);

        awaitCompletedCheckpoint(jobId);
        KAFKA.broker().restart();

        assertThat(producing.get()).isEqualTo(TRAFFIC.size());
        awaitConsumed(jobId, run);
        cluster.rest().stopWithSavepoint(jobId, true, RUN_TIMEOUT);

        assertThat(cluster.rest().checkpoints(jobId).path("counts").path("restored").asLong())
                .as("restores from a checkpoint").isGreaterThanOrEqualTo(2);
        try {
            run.assertSameAsEmbedded();
        } catch (AssertionError e) {
            // what the transactional outputs did around the restores, for the next one to read
            throw new AssertionError(e.getMessage() + "\nKafka transactions, checkpoints and restores in the "
                    + "cluster's logs:\n" + cluster.logLines(RECOVERY_EVENTS, 300), e);
        }
    }

    @Test
    @Order(2)
    void aSavepointOfOneSubmissionResumesInTheNextWithoutReprocessing() throws Exception {
        Run run = new Run("upgrade");
        int half = TRAFFIC.size() / 2;
        run.produce(TRAFFIC.subList(0, half), 0);
        String first = run.submit(false, null);
        KafkaTopicReader.awaitConsumed(KAFKA.bootstrapServers(), run.group, run.traffic, RUN_TIMEOUT);
        String savepoint = cluster.rest().stopWithSavepoint(first, false, RUN_TIMEOUT);
        assertThat(cluster.rest().jobState(first)).isEqualTo("FINISHED");

        run.produce(TRAFFIC.subList(half, TRAFFIC.size()), 0);
        // the next build: a changed, compatible configuration
        String second = run.submit(false, savepoint, "execution.checkpointing.interval=3s", "output.max-part-size=64mb");
        KafkaTopicReader.awaitConsumed(KAFKA.bootstrapServers(), run.group, run.traffic, RUN_TIMEOUT);
        cluster.rest().stopWithSavepoint(second, true, RUN_TIMEOUT);

        // compared by the savepoint's directory name: file:/… and file:///… both name it
        assertThat(cluster.rest().checkpoints(second).path("latest").path("restored").path("external_path").asText())
                .as("the second job started from the first one's savepoint")
                .endsWith(savepoint.substring(savepoint.lastIndexOf('/')));
        run.assertSameAsEmbedded();
    }

    // ---------------------------------------------------------------------------------------------

    /** One job's topics, consumer group, transactional ids and archive prefix. */
    private static final class Run {
        final String name;
        final String traffic;
        final String alerts;
        final String deadLetters;
        final String group;

        Run(String name) {
            this.name = name;
            this.traffic = name + "-traffic";
            this.alerts = name + "-alerts";
            this.deadLetters = name + "-dead-letters";
            this.group = name + "-group";
            KAFKA.createTopic(traffic, 1);
            KAFKA.createTopic(alerts, 1);
            KAFKA.createTopic(deadLetters, 1);
        }

        /** Submits the uploaded jar's {@code stream} command; {@code stopAtEnd}: read to the topic's current end. */
        String submit(boolean stopAtEnd, String savepoint, String... settings) throws Exception {
            List<String> args = new ArrayList<>(List.of("stream",
                    "--source", kafka(traffic).toString(),
                    "--alerts", kafka(alerts).toString(),
                    "--dlq", kafka(deadLetters).toString(),
                    "--archive", S3.uri(name)));
            if (stopAtEnd) {
                args.add("--stop-at-end");
            }
            Map<String, String> set = new HashMap<>(Map.of(
                    "execution.checkpointing.interval", "2s",
                    "execution.checkpointing.min-pause", "500ms",
                    // back within seconds once a new TaskManager is there (the default backoff grows to a minute)
                    "restart-strategy.exponential-delay.initial-backoff", "1s",
                    "restart-strategy.exponential-delay.max-backoff", "4s",
                    "kafka.group-id", group,
                    "kafka.starting-offsets", "committed",
                    "kafka.transactional-id-prefix", name,
                    // the broker must not abort a transaction the job still means to commit: longer than a checkpoint
                    // may take (interval + timeout), as the README says; checkpoints here took up to 50 s
                    "execution.checkpointing.timeout", "2m",
                    "kafka.transaction-timeout", "3m"));
            for (String setting : settings) {
                String[] keyValue = setting.split("=", 2);
                set.put(keyValue[0], keyValue[1]);
            }
            set.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
            String jobId = cluster.rest().runJar(jarId, PROGRAM, args, savepoint);
            assertThat(jobId).as("the job id /jars/:id/run answered").isNotBlank();
            return jobId;
        }

        long produce(List<GeneratedMessage> messages, double pace) {
            try {
                return TrafficWriter.toKafka(messages, KAFKA.bootstrapServers(), traffic, pace, Map.of());
            } catch (Exception e) {
                throw new IllegalStateException("producing to " + traffic, e);
            }
        }

        void assertSameAsEmbedded() throws Exception {
            List<String> alertsRead = KafkaTopicReader.readCommitted(KAFKA.bootstrapServers(), alerts).stream()
                    .map(OutputKeys::alertKey)
                    .toList();
            assertThat(alertsRead).as("alerts of %s, read_committed", name)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.alerts());
            List<String> deadLettersRead = KafkaTopicReader.readCommitted(KAFKA.bootstrapServers(), deadLetters)
                    .stream()
                    .map(OutputKeys::deadLetterKey)
                    .toList();
            assertThat(deadLettersRead).as("dead letters of %s, read_committed", name)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.deadLetters());
            List<String> archived = OutputKeys.messageIds(S3.bucketDir().resolve(name));
            assertThat(archived).as("archived messages of %s", name)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.acceptedMessageIds());
        }
    }

    private static Endpoint kafka(String topic) {
        return Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/" + topic);
    }

    /**
     * {@link KafkaTopicReader#awaitConsumed}, failing with what keeps the job from checkpointing (a job that fails at
     * every restore commits no offsets): its state, checkpoint counts and last exception.
     */
    private static void awaitConsumed(String jobId, Run run) throws Exception {
        try {
            KafkaTopicReader.awaitConsumed(KAFKA.bootstrapServers(), run.group, run.traffic, RUN_TIMEOUT);
        } catch (IllegalStateException notConsumed) {
            throw new IllegalStateException(notConsumed.getMessage() + "; job " + jobId + " is "
                    + cluster.rest().jobState(jobId) + ", checkpoints " + cluster.rest().checkpoints(jobId).path("counts")
                    + ", last exception:\n" + cluster.rest().get("/jobs/" + jobId + "/exceptions")
                            .path("root-exception").asText(), notConsumed);
        }
    }

    /** Waits for a checkpoint to complete after now, so that a fault always has one to restore from. */
    private static void awaitCompletedCheckpoint(String jobId) throws Exception {
        long before = cluster.rest().checkpoints(jobId).path("counts").path("completed").asLong();
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (cluster.rest().checkpoints(jobId).path("counts").path("completed").asLong() <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no checkpoint of job " + jobId + " completed in " + RUN_TIMEOUT
                        + "\n" + cluster.logTail());
            }
            Thread.sleep(300);
        }
    }

    /** Waits until the job has restored from a checkpoint once more than {@code before} and runs again. */
    private static long awaitRestore(String jobId, long before) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        long restored;
        while ((restored = cluster.rest().checkpoints(jobId).path("counts").path("restored").asLong()) <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " did not restore in " + RUN_TIMEOUT
                        + "\n" + cluster.logTail());
            }
            Thread.sleep(300);
        }
        cluster.rest().awaitAllTasksRunning(jobId, RUN_TIMEOUT);
        return restored;
    }
}
