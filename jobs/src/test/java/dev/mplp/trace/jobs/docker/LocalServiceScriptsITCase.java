package dev.mplp.trace.jobs.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.net.FreePorts;
import dev.mplp.trace.testing.ChildProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts users run the local services with ({@code docker/kafka.sh}, {@code docker/s3proxy.sh},
 * {@code docker/flink-cluster.sh}): {@code start} returns once the service serves, {@code status} tells,
 * {@code stop} leaves no process behind. Each runs with its state in a temporary directory ({@code LOCAL_RUN_DIR})
 * on free ports.
 */
class LocalServiceScriptsITCase {

    private static final Path DOCKER = Path.of(System.getProperty("docker.dir", "../docker"));
    private static final int NOT_RUNNING = 3;
    private static final List<String> SCRIPTS = List.of("kafka.sh", "s3proxy.sh", "flink-cluster.sh");
    /** The ports after the one given that each script's service takes too (Kafka's controller, Flink's RPC). */
    private static final Map<String, int[]> PORTS_AFTER =
            Map.of("kafka.sh", new int[] {1}, "flink-cluster.sh", new int[] {42});

    @TempDir
    Path runDir;

    @AfterEach
    void stopWhateverATestLeftRunning() throws Exception {
        for (String script : SCRIPTS) {
            run(script, "stop");
        }
    }

    @Test
    void kafkaStartsABrokerThatServesAndStopsIt() throws Exception {
        int port = startOnAFreePort("kafka.sh");

        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        try (Admin client = Admin.create(admin)) {
            assertThat(client.describeCluster().nodes().get(60, TimeUnit.SECONDS)).hasSize(1);
        }
        assertStopsCleanly("kafka.sh", runDir.resolve("kafka/kafka.pid"));
    }

    @Test
    void s3proxyStartsAStoreThatAnswersAndStopsIt() throws Exception {
        int port = startOnAFreePort("s3proxy.sh");

        assertThat(get(port, "/")).as("an S3 answer (an error document for an anonymous request)").contains("<");
        assertStopsCleanly("s3proxy.sh", runDir.resolve("s3proxy/s3proxy.pid"));
    }

    @Test
    void flinkClusterStartsAJobManagerWithItsTaskManagerAndStopsBoth() throws Exception {
        int port = startOnAFreePort("flink-cluster.sh");

        JsonNode registered = new ObjectMapper().readTree(get(port, "/taskmanagers")).path("taskmanagers");
        assertThat(registered).hasSize(1);
        assertThat(registered.get(0).path("slotsNumber").asInt()).isPositive();
        long taskManager = pid(runDir.resolve("flink/taskmanager.pid"));

        assertStopsCleanly("flink-cluster.sh", runDir.resolve("flink/jobmanager.pid"));
        assertThat(ProcessHandle.of(taskManager).filter(ProcessHandle::isAlive)).as("the TaskManager").isEmpty();
    }

    @Test
    void aBadPortOrCommandIsAUsageError() throws Exception {
        for (String script : SCRIPTS) {
            assertThat(run(script, "start", "--port", "0").exitCode()).as(script + " --port 0").isEqualTo(2);
            assertThat(run(script, "restart").exitCode()).as(script + " restart").isEqualTo(2);
            assertThat(run(script, "status").exitCode()).as(script + " status, nothing started")
                    .isEqualTo(NOT_RUNNING);
        }
    }

    private void assertStopsCleanly(String script, Path pidFile) throws Exception {
        Result status = run(script, "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        long pid = pid(pidFile);

        Result stopped = run(script, "stop");

        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as(script + "'s process").isEmpty();
        assertThat(run(script, "status").exitCode()).isEqualTo(NOT_RUNNING);
        assertThat(pidFile).doesNotExist();
    }

    /** Starts the script's service on a free port, asserting that {@code start} succeeded; the port. */
    private int startOnAFreePort(String script) throws Exception {
        int port = FreePorts.next(PORTS_AFTER.getOrDefault(script, new int[0]));
        Result started = run(script, "start", "--port", Integer.toString(port));
        assertThat(started.exitCode()).as(started.output()).isZero();
        return port;
    }

    /** The body of an HTTP GET of {@code path} on 127.0.0.1:{@code port}. */
    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long pid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    private Result run(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", DOCKER.resolve(script).toString()));
        command.addAll(List.of(args));
        // output to a file, not a pipe read to its end: a script that hangs must still meet the timeout below
        Path output = Files.createTempFile(runDir, script, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOCAL_RUN_DIR", runDir.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        copyProperty(env, "local.services.dir", "LOCAL_SERVICES_DIR");
        copyProperty(env, "flink.cluster.dir", "FLINK_CLUSTER_DIR");
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static void copyProperty(Map<String, String> env, String property, String variable) {
        String value = System.getProperty(property);
        if (value != null) {
            env.put(variable, value);
        }
    }

    private record Result(int exitCode, String output) {}
}
