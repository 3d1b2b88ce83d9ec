package dev.mplp.trace.testing;

import dev.mplp.trace.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) run as a child JVM on
 * loopback, from the jars {@code docker/services} copies into {@code target/kafka/lib}. The broker
 * runs on a classpath of its own, so its dependencies never meet the job's.
 *
 * <p>Each instance owns a fresh temporary directory (configuration, data, logs) and free ports
 * picked at start; {@link #restart()} and {@link #kill()} keep both, so fault tests can crash the
 * broker and bring it back on the same address with the same data.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Marks our children on their command line, so a later run can find orphans (see below). */
    private static final String OWNER_PROPERTY = "mplp.test.kafka.owner";

    // generous: on a loaded 2-core machine a restarted broker has been seen to need more than a minute
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    // a small heap that grows on demand, one GC thread, and C1 only: measured here this starts a broker in ~1.7 s
    // instead of ~2.2 s and takes ~150 MB RSS instead of ~230 MB
    private static final List<String> TEST_JVM =
            List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** What Kafka's start scripts give a broker (kafka-server-start.sh's heap, kafka-run-class.sh's JVM options). */
    private static final List<String> KAFKA_SCRIPTS_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:MaxInlineLevel=15");

    private final Path libDir;
    // volatile: the shutdown hook reads them without the lock (System.exit may hold it)
    private volatile Path workDir;
    private int brokerPort;
    private int controllerPort;
    private int saslPort;
    private String scramUser;
    private String scramPassword;
    private List<String> jvmOptions = TEST_JVM;
    private volatile Process process;
    private Thread shutdownHook;

    public KafkaBroker() {
        this(locateLibDir());
    }

    public KafkaBroker(Path libDir) {
        this.libDir = libDir;
    }

    /**
     * Adds a SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}) where this SCRAM-SHA-256 user (created when
     * the storage is formatted) must log in; call before {@link #start()}.
     */
    public KafkaBroker withScramUser(String user, String password) {
        this.scramUser = user;
        this.scramPassword = password;
        return this;
    }

    /**
     * Runs the broker's JVM as Kafka's own start scripts do (a 1 GB heap, G1, every JIT tier) instead of the small,
     * quick-starting JVM tests get; call before {@link #start()}. For the benchmark: there the broker shares the
     * machine's cores with the job, and a broker compiled by C1 alone takes more of them than a real one.
     */
    public KafkaBroker withKafkaScriptsJvm() {
        this.jvmOptions = KAFKA_SCRIPTS_JVM;
        return this;
    }

    /** The SASL/SCRAM listener added by {@link #withScramUser}. */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** Formats a fresh data directory, starts the broker and waits until it serves requests. */
    public synchronized KafkaBroker start() {
        if (workDir != null) {
            throw new IllegalStateException("already started: " + bootstrapServers());
        }
        reapOrphans();
        try {
            workDir = Files.createTempDirectory("kafka-broker-");
            brokerPort = FreePorts.next();
            do {
                controllerPort = FreePorts.next();
            } while (controllerPort == brokerPort);
            if (scramUser != null) {
                do {
                    saslPort = FreePorts.next();
                } while (saslPort == brokerPort || saslPort == controllerPort);
            }
            writeConfig();
            format();
        } catch (IOException e) {
            deleteWorkDir();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteWorkDir();
            throw e;
        }
        shutdownHook = new Thread(this::onJvmExit, "kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            launch();
        } catch (RuntimeException e) {
            stop(); // the caller never gets a broker to stop, so leave nothing behind
            throw e;
        }
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The temporary directory holding server.properties, data/ and broker.log. */
    public Path workDir() {
        return workDir;
    }

    public Optional<ProcessHandle> processHandle() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    /** Stops the broker gracefully and starts it again on the same ports with the same data. */
    public synchronized void restart() {
        requireStarted();
        stopProcess();
        launch();
    }

    /**
     * SIGKILLs the broker, as a crash would: nothing is flushed or shut down cleanly. The data
     * stays, so {@link #restart()} brings it back (recovering its logs).
     */
    public synchronized void kill() {
        requireStarted();
        if (process != null) {
            process.destroyForcibly(); // SIGKILL on Unix
            waitForExit(process, STOP_TIMEOUT);
            process = null;
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a timeout) and deletes its directory. */
    public synchronized void stop() {
        if (workDir == null) {
            return;
        }
        stopProcess();
        deleteWorkDir();
        ChildProcesses.removeShutdownHook(shutdownHook);
        shutdownHook = null;
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------------------------------------

    private void writeConfig() throws IOException {
        Path data = workDir.resolve("data");
        String sasl = scramUser == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort + sasl,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort + sasl,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (scramUser == null ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT\n"
                                + "sasl.enabled.mechanisms=SCRAM-SHA-256\n"
                                + "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data,
                // one node: every internal topic has one replica; few partitions start faster
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // after kill() the controller refuses the restarted broker until the dead one's
                // session expires: 3 s instead of 9 s (heartbeats go over loopback, every 0.5 s)
                "broker.session.timeout.ms=3000",
                "broker.heartbeat.interval.ms=500",
                // tests create the topics they use: a typo must fail, not create a topic
                "auto.create.topics.enable=false",
                // no time-based retention: the tests' traffic has event times in 2025, and the job's outputs carry
                // their event time as record timestamp (Flink's Kafka sink writes it), so the 7-day default deleted
                // whole segments of an output topic at whichever 5-minute retention check came during a test
                // (FlinkClusterITCase lost its first alerts that way)
                "log.retention.ms=-1",
                // the log cleaner allocates this on the heap up front (128 MiB by default)
                "log.cleaner.dedupe.buffer.size=8388608",
                "");
        Files.writeString(workDir.resolve("server.properties"), config, StandardCharsets.UTF_8);

        // Quiet: warnings only, into a file the failure messages quote; plus the line saying it started.
        String log4j = String.join("\n",
                "appender.file.type=File",
                "appender.file.name=file",
                "appender.file.fileName=" + workDir.resolve("broker.log"),
                "appender.file.layout.type=PatternLayout",
                "appender.file.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.file.ref=file",
                "logger.started.name=kafka.server.KafkaRaftServer",
                "logger.started.level=INFO",
                "");
        Files.writeString(workDir.resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
    }

    /** Writes meta.properties into the data directory, as KRaft requires before the first start. */
    private void format() {
        List<String> args = new ArrayList<>(List.of(
                "format", "-t", Uuid.randomUuid().toString(), "-c", workDir.resolve("server.properties").toString()));
        if (scramUser != null) {
            args.addAll(List.of("--add-scram",
                    "SCRAM-SHA-256=[name=" + scramUser + ",password=" + scramPassword + "]"));
        }
        Process format = spawn("kafka.tools.StorageTool", args.toArray(String[]::new));
        if (!waitForExit(format, READY_TIMEOUT) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the Kafka storage failed\n" + logTail());
        }
    }

    private void launch() {
        process = spawn("kafka.Kafka", workDir.resolve("server.properties").toString());
        awaitReady();
    }

    private Process spawn(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                ChildProcesses.ownerArgument(OWNER_PROPERTY),
                "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties"),
                "-cp", libDir.resolve("*").toString(), // expanded by the java launcher, not a shell
                mainClass));
        command.addAll(List.of(args));
        return ChildProcesses.start(new ProcessBuilder(command), workDir, workDir.resolve("broker.out"));
    }

    /**
     * A broker answers metadata requests only once it is registered and unfenced, so a cluster
     * description listing our node means topics can be created and records produced.
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                            + " while starting\n" + logTail());
                }
                try {
                    // the call's own timeout, so no attempt lingers in the client (and delays close())
                    DescribeClusterOptions attempt = new DescribeClusterOptions().timeoutMs(2_000);
                    if (!admin.describeCluster(attempt).nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
        destroyNow();
        throw new IllegalStateException("the Kafka broker at " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s\n" + logTail());
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, STOP_TIMEOUT); // SIGTERM first: Kafka's shutdown hook closes the logs cleanly
        process = null;
    }

    /** The test JVM exits without having called stop(): no time for a clean broker shutdown. */
    private void onJvmExit() {
        destroyNow();
        Path dir = workDir;
        if (dir != null) {
            deleteRecursively(dir);
        }
    }

    private void destroyNow() {
        ChildProcesses.destroyNow(process);
    }

    private void requireStarted() {
        if (workDir == null) {
            throw new IllegalStateException("the Kafka broker was not started");
        }
    }

    private String logTail() {
        return ChildProcesses.tail(List.of(workDir.resolve("broker.out"), workDir.resolve("broker.log")));
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        deleteRecursively(workDir);
        workDir = null;
    }

    // ---------------------------------------------------------------------------------------------

    private static void reapOrphans() {
        ChildProcesses.reapOrphans(OWNER_PROPERTY, args -> {
            // the last argument is <workDir>/server.properties
            Path dir = Path.of(args.get(args.size() - 1)).getParent();
            if (dir != null && dir.getFileName().toString().startsWith("kafka-broker-")) {
                deleteRecursively(dir);
            }
        });
    }

    private static void deleteRecursively(Path dir) {
        ChildProcesses.deleteRecursively(dir);
    }

    private static boolean waitForExit(Process p, Duration timeout) {
        return ChildProcesses.waitForExit(p, timeout);
    }

    private static String javaBinary() {
        return ChildProcesses.javaBinary();
    }

    /**
     * {@code -Dlocal.services.dir=<docker/services/target>} if given, else found by walking up from
     * the working directory (a module directory under Maven, the repository root in an IDE).
     */
    static Path locateLibDir() {
        String configured = System.getProperty("local.services.dir");
        Path lib = null;
        if (configured != null && !configured.isBlank()) {
            lib = Path.of(configured).toAbsolutePath().resolve("kafka").resolve("lib");
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("docker/services/target/kafka/lib");
                if (Files.isDirectory(candidate)) {
                    lib = candidate;
                    break;
                }
            }
        }
        if (lib == null || !hasKafkaJar(lib)) {
            throw new IllegalStateException("The Kafka broker jars were not found"
                    + (lib == null ? " (no docker/services/target/kafka/lib above " + Path.of("").toAbsolutePath() + ")"
                            : " in " + lib)
                    + ": run `mvn -pl docker/services generate-resources` in the repository root first"
                    + " (or set -Dlocal.services.dir to docker/services/target).");
        }
        return lib;
    }

    private static boolean hasKafkaJar(Path lib) {
        try (Stream<Path> files = Files.list(lib)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            return false;
        }
    }
}
