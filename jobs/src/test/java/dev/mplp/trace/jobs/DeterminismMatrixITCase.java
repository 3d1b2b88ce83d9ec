package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.FlinkCluster;
import dev.mplp.trace.testing.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bounded input, every way of running it: the same alerts (ids included, as a multiset) and the same dead letters.
 * The input has what made runs differ (issue 17): a stretch where every operation's spans stop while the services'
 * {@code trace.metrics.collect} messages go on to the end of the input (throughput drops to zero while event time
 * moves on), next to faults, duplicates, malformed records and out-of-order delivery.
 *
 * <p>The reference is {@code stream} on the embedded Flink at parallelism 2, writing a Parquet archive; it is compared
 * with the embedded Flink at parallelism 1 and 4, with {@code reprocess} (BATCH mode) over that archive, and with the
 * jar submitted over REST to a standalone cluster; and, on that cluster, with a live job from Kafka rescaled through
 * savepoints from parallelism 2 to 4 and back.
 */
class DeterminismMatrixITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Instant START = Instant.parse("2025-09-03T10:00:00Z");
    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

    /**
     * Ten-second windows and a short warm-up, so that four minutes of traffic have baselines to compare with; an
     * operation idle for 5 minutes is forgotten, longer than the pause: its degradations stay open to the end of the
     * input, where the end-of-input flush resolves them. The services' metrics messages during the pause name the
     * span their service last started, long completed: the span session forgets it by event time alone, with the
     * default {@code detection.span.allowed-lateness}, in every mode.
     */
    private static final Map<String, String> SETTINGS = Map.of(
            "detection.windows.size", "10s",
            "detection.baseline.warm-up-windows", "6",
            "detection.baseline.min-span-count", "3",
            "detection.baseline.min-z-score", "2",
            "detection.baseline.idle-timeout", "5m",
            "execution.checkpointing.interval", "1s");

    @TempDir
    static Path dir;

    private static List<GeneratedMessage> messages;
    private static Path traffic;
    private static Outputs reference;
    private static FlinkCluster cluster;
    private static String jarId;

    /** What a run wrote: its alerts as JSON lines, and its dead letters without their ingest (processing) time. */
    private record Outputs(List<String> alerts, List<String> deadLetters) {
        static Outputs read(Path run) {
            return new Outputs(
                    JsonLinesOutput.read(run.resolve("alerts")).stream().map(JsonNode::toString).sorted().toList(),
                    JsonLinesOutput.read(run.resolve("dead-letters")).stream()
                            .map(letter -> ((ObjectNode) letter).without("ingest_time").toString())
                            .sorted()
                            .toList());
        }
    }

    @BeforeAll
    static void generateTheInputAndRunTheReference() throws Exception {
        traffic = dir.resolve("traffic.jsonl");
        messages = new TrafficGenerator(GeneratorSettings.builder()
                .seed(17)
                .start(START)
                .duration(Duration.ofMinutes(4))
                .rate(4)
                .fault("latency:checkout/charge@+90s/30s:factor=5")
                .fault("cpu:catalog@+1m/20s:percent=97")
                .fault("malformed:*:fraction=0.01")
                .fault("duplicate:*:fraction=0.02,delay=1s")
                .fault("out_of_order:*:fraction=0.1,max_delay=3s")
                // every operation stops 2.5 minutes in; the metrics messages go on for 1.5 minutes to the end
                .fault("pause:*@+150s")
                .build()).stream().toList();
        TrafficWriter.toFile(messages, traffic, 0);

        Path run = dir.resolve("embedded-2");
        StreamJob.run(options(run).withArchive(ArchiveLocation.parse("file:" + run.resolve("archive"))),
                config("parallelism.default", "2"), quiet());
        reference = Outputs.read(run);

        assertThat(reference.alerts()).as("the input raises alerts").hasSizeGreaterThan(10);
        assertThat(reference.alerts())
                .as("the pause drops the throughput of operations to zero while the metrics go on")
                .anySatisfy(alert -> assertThat(alert)
                        .contains("\"alert_type\":\"performance_degradation\"")
                        .contains("\"metric\":\"throughput_ops_per_sec\"")
                        .contains("\"evaluation_result\":\"triggered\""));
        assertThat(reference.deadLetters()).as("malformed and duplicated messages").isNotEmpty();

        // two TaskManagers of two slots: room for the rescale to parallelism 4
        cluster = new FlinkCluster().withTaskManagers(2).start();
        jarId = cluster.rest().uploadJar(JAR);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void theEmbeddedFlinkAtParallelismOneAndFourGivesTheSameAlertsAndDeadLetters() throws Exception {
        for (String parallelism : List.of("1", "4")) {
            Path run = dir.resolve("embedded-" + parallelism);
            StreamJob.run(options(run), config("parallelism.default", parallelism), quiet());
            Outputs outputs = Outputs.read(run);
            assertThat(outputs.alerts()).as("alerts at parallelism %s", parallelism)
                    .containsExactlyElementsOf(reference.alerts());
            assertThat(outputs.deadLetters()).as("dead letters at parallelism %s", parallelism)
                    .containsExactlyElementsOf(reference.deadLetters());
        }
    }

    /**
     * Parsing on every subtask: the input as three files (three source splits), each message's copies in one file
     * (split by trace id, as producers keying Kafka records by trace id split a topic), at parallelism 1 and 2. The
     * same copies are accepted and dead-lettered at both, positions included: the deduplication rule holds. And the
     * alerts are those of the one file: a subtask reads its files merged by event time, so none of their messages is
     * late behind another file's (read one after the other, most of a later file's were).
     */
    @Test
    void threeFilesAtParallelismOneAndTwoGiveTheAlertsOfOneFileAndAcceptTheSameCopies() throws Exception {
        Path files = Files.createDirectories(dir.resolve("three-files"));
        for (int file = 0; file < 3; file++) {
            int split = file;
            TrafficWriter.toFile(messages.stream()
                    .filter(m -> Math.floorMod(m.traceId().hashCode(), 3) == split)
                    .toList(), files.resolve("traffic-" + split + ".jsonl"), 0);
        }
        List<Outputs> runs = new ArrayList<>();
        for (String parallelism : List.of("1", "2")) {
            Path run = dir.resolve("three-files-" + parallelism);
            StreamJob.run(StreamJob.Options.of(new Endpoint.File(files), new Endpoint.File(run.resolve("alerts")),
                            new Endpoint.File(run.resolve("dead-letters")), null, false),
                    config("parallelism.default", parallelism), quiet());
            runs.add(Outputs.read(run));
        }

        assertThat(runs.get(0).deadLetters()).as("duplicates among them")
                .anySatisfy(letter -> assertThat(letter).contains("\"reason\":\"duplicate\""));
        assertThat(runs.get(1).deadLetters()).as("dead letters, positions included, at parallelism 2 and 1")
                .containsExactlyElementsOf(runs.get(0).deadLetters());
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).alerts()).as("alerts of three files at parallelism %d", i + 1)
                    .containsExactlyElementsOf(reference.alerts());
        }
    }

    /**
     * A topic of three partitions, the input written into it whole before the job starts (a job catching up on a
     * backlog), read by one subtask and by two: the Kafka client hands over a batch of one partition's records before
     * the next partition's, and with one watermark per subtask most of the later partitions' messages were late (a
     * test of this shape found 3,829 of 6,075). With a watermark per partition none is, and the alerts and dead letters
     * are the file's.
     */
    @Test
    void aBacklogOfThreePartitionsReadByOneAndByTwoSubtasksGivesTheAlertsAndDeadLettersOfTheFile() throws Exception {
        String topic = "three-partitions";
        KAFKA.createTopic(topic, 3);
        TrafficWriter.toKafka(messages, KAFKA.bootstrapServers(), topic, 0, Map.of());
        List<String> referenceDeadLetters = JsonLinesOutput.read(dir.resolve("embedded-2").resolve("dead-letters"))
                .stream().map(DeterminismMatrixITCase::deadLetterWherever).sorted().toList();
        for (String parallelism : List.of("1", "2")) {
            Path run = dir.resolve("three-partitions-" + parallelism);
            StreamJob.run(StreamJob.Options.of(new Endpoint.Kafka(KAFKA.bootstrapServers(), topic),
                            new Endpoint.File(run.resolve("alerts")), new Endpoint.File(run.resolve("dead-letters")),
                            new Endpoint.File(run.resolve("late")), true),
                    config("parallelism.default", parallelism, "kafka.starting-offsets", "earliest",
                            "kafka.group-id", "three-partitions-" + parallelism), quiet());
            assertThat(JsonLinesOutput.read(run.resolve("late"))).as("late messages at parallelism %s", parallelism)
                    .isEmpty();
            assertThat(Outputs.read(run).alerts()).as("alerts at parallelism %s", parallelism)
                    .containsExactlyElementsOf(reference.alerts());
            assertThat(JsonLinesOutput.read(run.resolve("dead-letters")).stream()
                            .map(DeterminismMatrixITCase::deadLetterWherever).sorted().toList())
                    .as("dead letters at parallelism %s", parallelism)
                    .containsExactlyElementsOf(referenceDeadLetters);
        }
    }

    @Test
    void reprocessingTheArchiveOfTheReferenceRunGivesTheSameAlerts() throws Exception {
        Path run = dir.resolve("reprocess");
        ReprocessJob.run(new ReprocessJob.Options(
                        ArchiveInput.parse("file:" + dir.resolve("embedded-2").resolve("archive")),
                        new EventTimeRange(START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1))),
                        new Endpoint.File(run.resolve("alerts")), null, null, false),
                config(), quiet());

        assertThat(JsonLinesOutput.read(run.resolve("alerts")).stream().map(JsonNode::toString).sorted().toList())
                .as("alerts of reprocess (BATCH mode) over the archive")
                .containsExactlyElementsOf(reference.alerts());
    }

    @Test
    void theJarSubmittedToAStandaloneClusterGivesTheSameAlertsAndDeadLetters() throws Exception {
        Path run = dir.resolve("cluster");
        String jobId = submit(null, "2",
                "--source", "file:" + traffic,
                "--alerts", "file:" + run.resolve("alerts"),
                "--dlq", "file:" + run.resolve("dead-letters"));
        assertThat(cluster.rest().awaitJobState(jobId, Set.of("FINISHED", "FAILED", "CANCELED"), RUN_TIMEOUT))
                .as("the job on the cluster").isEqualTo("FINISHED");

        Outputs outputs = Outputs.read(run);
        assertThat(outputs.alerts()).as("alerts on the cluster").containsExactlyElementsOf(reference.alerts());
        assertThat(outputs.deadLetters()).as("dead letters on the cluster")
                .containsExactlyElementsOf(reference.deadLetters());
    }

    /**
     * A live job from a Kafka topic, stopped with a savepoint at parallelism 2, resumed from it at 4, stopped again and
     * resumed at 2, each part reading a third of the input; the last stop drains (the end of the input). Key groups
     * move between subtasks (max parallelism 128 as configured), the alerts and the archive go exactly once.
     */
    @Test
    void aJobRescaledFromTwoToFourAndBackThroughSavepointsLosesAndDoublesNothingAndRaisesTheSameAlerts()
            throws Exception {
        String source = "rescale-traffic";
        String alerts = "rescale-alerts";
        String deadLetters = "rescale-dead-letters";
        String group = "rescale-group";
        for (String topic : List.of(source, alerts, deadLetters)) {
            KAFKA.createTopic(topic, 1);
        }
        Path archive = dir.resolve("rescale-archive");
        String savepoint = null;
        List<String> parallelisms = List.of("2", "4", "2");
        int third = messages.size() / 3;
        for (int part = 0; part < parallelisms.size(); part++) {
            List<GeneratedMessage> slice =
                    messages.subList(part * third, part == parallelisms.size() - 1 ? messages.size() : (part + 1) * third);
            TrafficWriter.toKafka(slice, KAFKA.bootstrapServers(), source, 0, Map.of());
            String jobId = submit(savepoint, parallelisms.get(part),
                    "--source", kafka(source),
                    "--alerts", kafka(alerts),
                    "--dlq", kafka(deadLetters),
                    "--archive", "file:" + archive,
                    "--set", "kafka.group-id=" + group,
                    "--set", "kafka.starting-offsets=committed",
                    "--set", "kafka.transactional-id-prefix=rescale");
            KafkaTopicReader.awaitConsumed(KAFKA.bootstrapServers(), group, source, RUN_TIMEOUT);
            boolean last = part == parallelisms.size() - 1;
            String resumedFrom = savepoint;
            savepoint = cluster.rest().stopWithSavepoint(jobId, last, RUN_TIMEOUT);

            int parallelism = Integer.parseInt(parallelisms.get(part));
            List<Integer> vertexParallelisms = new ArrayList<>();
            cluster.rest().get("/jobs/" + jobId).path("vertices")
                    .forEach(vertex -> vertexParallelisms.add(vertex.path("parallelism").asInt()));
            assertThat(vertexParallelisms).as("the operators of part %d", part)
                    .contains(parallelism)
                    .allSatisfy(each -> assertThat(each).isLessThanOrEqualTo(parallelism));
            if (resumedFrom != null) {
                // compared by the savepoint's directory name: file:/… and file:///… both name it
                assertThat(cluster.rest().checkpoints(jobId).path("latest").path("restored").path("external_path")
                                .asText())
                        .as("part %d started from the savepoint of the one before", part)
                        .endsWith(resumedFrom.substring(resumedFrom.lastIndexOf('/')));
            }
        }

        List<String> alertsRead = KafkaTopicReader.readCommitted(KAFKA.bootstrapServers(), alerts).stream()
                .map(JsonNode::toString)
                .sorted()
                .toList();
        assertThat(alertsRead).as("alerts of the rescaled job, read_committed")
                .containsExactlyElementsOf(reference.alerts());
        assertThat(KafkaTopicReader.readCommitted(KAFKA.bootstrapServers(), deadLetters).stream()
                        .map(DeterminismMatrixITCase::deadLetterWherever)
                        .sorted()
                        .toList())
                .as("dead letters of the rescaled job, read_committed")
                .containsExactlyElementsOf(JsonLinesOutput.read(dir.resolve("embedded-2").resolve("dead-letters"))
                        .stream()
                        .map(DeterminismMatrixITCase::deadLetterWherever)
                        .sorted()
                        .toList());
        assertThat(archivedMessageIds(archive)).as("archived messages of the rescaled job")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(archivedMessageIds(dir.resolve("embedded-2").resolve("archive")));
    }

    /** Submits the uploaded jar's {@code stream} at {@code parallelism}, from {@code savepoint} unless null. */
    private static String submit(String savepoint, String parallelism, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("stream"));
        args.addAll(List.of(more));
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("parallelism.default", parallelism);
        settings.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        String jobId = cluster.rest().runJar(jarId, "dev.mplp.trace.jobs.TraceAnalytics", args, savepoint);
        assertThat(jobId).as("the job id /jars/:id/run answered").isNotBlank();
        return jobId;
    }

    private static String kafka(String topic) {
        return "kafka://" + KAFKA.bootstrapServers() + "/" + topic;
    }

    /**
     * A dead letter without what tells where and when it was read (a Kafka offset here, a file's line there; a
     * duplicate's detail names where the original was read).
     */
    private static String deadLetterWherever(JsonNode deadLetter) {
        ObjectNode letter = ((ObjectNode) deadLetter.deepCopy()).without(List.of("ingest_time", "source_position"));
        if (letter.path("reason").asText().equals("duplicate")) {
            letter.remove("detail");
        }
        return letter.toString();
    }

    private static List<String> archivedMessageIds(Path archive) {
        return ArchiveFiles.tableRows(archive.resolve("messages")).stream()
                .map(row -> row.getString("message_id", 0))
                .toList();
    }

    private static StreamJob.Options options(Path run) {
        return StreamJob.Options.of(new Endpoint.File(traffic), new Endpoint.File(run.resolve("alerts")),
                new Endpoint.File(run.resolve("dead-letters")), null, false);
    }

    private static TraceAnalyticsConfig config(String... more) {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return ConfigLoader.load(null, settings);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
