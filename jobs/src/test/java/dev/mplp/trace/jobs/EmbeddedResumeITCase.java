package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.KafkaBrokerExtension;
import dev.mplp.trace.testing.MiniClusters;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar … stream --checkpoints DIR} over a Kafka topic of the test broker, killed ({@code SIGKILL}) after
 * its first completed checkpoint and started again with the same arguments, resumes from that checkpoint: its dead
 * letters and archived messages are those of an uninterrupted run, none missing, none twice, and no alert twice.
 * Both runs are unbounded: a restored bounded Kafka source does not finish (the connector's enumerator never signals
 * its end after a restore, FLINK-31006), so the test waits for the outputs to be complete and kills the second run
 * too. The archive compacts every few checkpoints, so the kill also falls among compactions.
 */
class EmbeddedResumeITCase {

    @RegisterExtension
    static final MiniClusters.Extension EMBEDDED = MiniClusters.extension();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    /** Enough traffic that the first run is still reading when its first checkpoint completes. */
    private static final List<GeneratedMessage> TRAFFIC = new TrafficGenerator(GeneratorSettings.builder()
                    .seed(20)
                    .start(Instant.parse("2025-09-03T10:00:00Z"))
                    .duration(Duration.ofMinutes(2))
                    .rate(10)
                    .fault("cpu:catalog@+30s/40s:percent=97")
                    .fault("malformed:*:fraction=0.02")
                    .fault("duplicate:*:fraction=0.02")
                    .build())
            .stream()
            .toList();

    @TempDir
    Path dir;

    @Test
    void aKilledEmbeddedRunResumesFromItsLatestCheckpointWithNothingLostOrDoubled() throws Exception {
        KAFKA.createTopic("resume-traffic", 1);
        TrafficWriter.toKafka(TRAFFIC, KAFKA.bootstrapServers(), "resume-traffic", 0, Map.of());
        Endpoint source = Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/resume-traffic");

        Path reference = dir.resolve("reference");
        StreamJob.run(
                StreamJob.Options.of(source, Endpoint.parse("file:" + reference.resolve("alerts")),
                                Endpoint.parse("file:" + reference.resolve("dead-letters")), null, true)
                        .withArchive(ArchiveLocation.parse("file:" + reference.resolve("archive"))),
                ConfigLoader.load(null, Map.of("execution.checkpointing.interval", "1s", "kafka.group-id", "reference")),
                new PrintStream(OutputStream.nullOutputStream()));

        Path resumed = dir.resolve("resumed");
        Path checkpoints = dir.resolve("checkpoints");
        List<String> args = List.of("stream", "--source", source.toString(),
                "--alerts", "file:" + resumed.resolve("alerts"),
                "--dlq", "file:" + resumed.resolve("dead-letters"),
                "--archive", "file:" + resumed.resolve("archive"),
                "--checkpoints", checkpoints.toString(),
                "--set", "execution.checkpointing.interval=500ms",
                // an unbounded run's archive rows show when their partition is compacted: every 4th checkpoint
                "--set", "archive.compaction.interval=2s",
                "--set", "kafka.group-id=resumed");

        Path firstLog = dir.resolve("first.txt");
        Process first = start(args, firstLog);
        try {
            awaitCompletedCheckpoint(checkpoints, first, firstLog);
            assertThat(first.isAlive()).as("still reading at its first checkpoint, or the kill tests nothing:\n%s",
                    Files.readString(firstLog)).isTrue();
        } finally {
            kill(first); // no shutdown hook, no final checkpoint
        }

        Path secondLog = dir.resolve("second.txt");
        Process second = start(args, secondLog);
        try {
            // an unbounded run: wait until its committed outputs hold as many records as the reference's
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && second.isAlive()
                    && (keys(resumed, false).size() < keys(reference, false).size()
                            || OutputKeys.messageIds(resumed.resolve("archive")).size()
                                    < OutputKeys.messageIds(reference.resolve("archive")).size())) {
                Thread.sleep(1000);
            }
            Thread.sleep(3000); // a few more checkpoints: anything doubled would show
        } finally {
            kill(second);
        }
        String output = Files.readString(secondLog, StandardCharsets.UTF_8);
        assertThat(output).contains("Resuming from checkpoint " + checkpoints);

        assertThat(keys(resumed, false)).as("dead letters").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(keys(reference, false));
        assertThat(OutputKeys.messageIds(resumed.resolve("archive"))).as("archived messages").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(OutputKeys.messageIds(reference.resolve("archive")));
        // an unbounded run's alerts wait for watermarks past them (the bounded reference's end of input fires all):
        // those it committed are the reference's, none twice
        assertThat(keys(resumed, true)).as("alerts").doesNotHaveDuplicates().isSubsetOf(keys(reference, true));
    }

    /** SIGKILL of the JVM running the job (the launcher's child, which puts Flink on the class path) and the launcher. */
    private static void kill(Process launcher) throws Exception {
        List<ProcessHandle> processes = new ArrayList<>(launcher.descendants().toList());
        processes.add(launcher.toHandle());
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> keys(Path run, boolean alerts) {
        return alerts
                ? JsonLinesOutput.read(run.resolve("alerts")).stream().map(OutputKeys::alertKey).toList()
                : JsonLinesOutput.read(run.resolve("dead-letters")).stream().map(OutputKeys::deadLetterKey).toList();
    }

    private Process start(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Waits until a checkpoint's metadata (written last, when it completed) is under {@code checkpoints}. */
    private static void awaitCompletedCheckpoint(Path checkpoints, Process run, Path log) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && run.isAlive()) {
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> files = Files.walk(checkpoints)) {
                    if (files.anyMatch(f -> f.getFileName().toString().equals("_metadata"))) {
                        return;
                    }
                } catch (IOException | UncheckedIOException subsumedMeanwhile) {
                    // Flink deleted a checkpoint while it was listed: look again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no completed checkpoint in " + checkpoints + ":\n" + Files.readString(log));
    }
}
