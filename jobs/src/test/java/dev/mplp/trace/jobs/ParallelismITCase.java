package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.testing.FlinkCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runs at the parallelism it is submitted with ({@code flink run -p}, here {@code /jars/:id/run}'s
 * {@code parallelism}) on a real standalone cluster, unless its configuration sets {@code parallelism.default}.
 */
class ParallelismITCase {

    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));
    private static final String PROGRAM = "dev.mplp.trace.jobs.TraceAnalytics";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path dir;

    private static FlinkCluster cluster;
    private static String jarId;
    private static Path traffic;

    @BeforeAll
    static void startACluster() throws Exception {
        traffic = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                        .start(Instant.parse("2025-09-03T10:00:00Z"))
                        .duration(Duration.ofSeconds(20))
                        .rate(2)
                        .build()),
                traffic, 0);
        // the cluster's parallelism.default stays 2 (conf/flink/config.yaml); three slots for -p 3
        cluster = new FlinkCluster().withProperty("taskmanager.numberOfTaskSlots", "3").start();
        jarId = cluster.rest().uploadJar(JAR);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void flinkRunPSetsTheParallelismOfEveryOperator() throws Exception {
        Map<String, Integer> vertices = run("p3", 3);

        assertThat(vertices).isNotEmpty();
        assertThat(vertices.values()).as("vertices %s", vertices).containsOnly(3);
    }

    @Test
    void parallelismDefaultInTheJobsConfigurationWinsOverP() throws Exception {
        Map<String, Integer> vertices = run("configured", 3, "--set", "parallelism.default=1");

        assertThat(vertices.values()).as("vertices %s", vertices).containsOnly(1);
    }

    /** Runs {@code stream} over the traffic file to its end; the parallelism of each of the job's vertices. */
    private static Map<String, Integer> run(String name, int parallelism, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("stream",
                "--source", "file:" + traffic,
                "--alerts", "file:" + dir.resolve(name).resolve("alerts"),
                "--dlq", "file:" + dir.resolve(name).resolve("dead-letters"),
                "--stop-at-end",
                "--set", "execution.checkpointing.interval=1s"));
        args.addAll(List.of(more));
        String jobId = cluster.rest().runJar(jarId, PROGRAM, args, null, parallelism);
        cluster.rest().awaitJobState(jobId, Set.of("FINISHED"), RUN_TIMEOUT);
        Map<String, Integer> vertices = new TreeMap<>();
        for (JsonNode vertex : cluster.rest().get("/jobs/" + jobId).path("vertices")) {
            vertices.put(vertex.path("name").asText(), vertex.path("parallelism").asInt());
        }
        return vertices;
    }
}
