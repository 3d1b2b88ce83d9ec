package dev.mplp.trace.testing;

import dev.mplp.trace.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real Flink 2.2 standalone session cluster on loopback: a JobManager ({@code StandaloneSessionClusterEntrypoint},
 * with the REST API) and a TaskManager ({@code TaskManagerRunner}), each a child JVM on the jars that
 * {@code docker/flink-cluster} copies into {@code target/flink/lib}, configured by {@code conf/flink/config.yaml}
 * (the file {@code docker/flink-cluster.sh} uses too) plus this instance's ports and directories as dynamic
 * properties. The S3 file system plugin is found through {@code FLINK_PLUGINS_DIR}, as on a flink-dist.
 *
 * <p>Fault tests {@link #killTaskManager() kill} the TaskManager (SIGKILL) and {@link #startTaskManager() start} a
 * new one; the JobManager keeps the completed checkpoints (in {@link #checkpointDir()}) to restore from. A cluster
 * {@link #withTaskManagers(int) with more TaskManagers} has slots for a job to rescale into; the others are never
 * killed.
 */
public final class FlinkCluster implements AutoCloseable {

    /** Marks our children on their command line, so a later run can find orphans. */
    private static final String OWNER_PROPERTY = "mplp.test.flink.owner";

    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path flinkDir;
    private final Path confDir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private volatile Path workDir;
    private volatile Process jobManager;
    private volatile Process taskManager;
    private final List<Process> otherTaskManagers = new ArrayList<>();
    private int taskManagerCount = 1;
    private int taskManagersStarted;
    private int restPort;
    private volatile FlinkRest rest;
    private Thread shutdownHook;

    public FlinkCluster() {
        this(LocalServices.locate("flink.cluster.dir", "docker/flink-cluster/target/flink", "lib",
                        "`mvn -pl docker/flink-cluster generate-resources`"),
                LocalServices.locate("flink.conf.dir", "conf/flink", "config.yaml", "a checkout of the repository"));
    }

    /**
     * @param flinkDir holds {@code lib/} (the cluster's class path) and {@code plugins/}
     * @param confDir holds {@code config.yaml}, {@code log4j2.properties} and {@code java-options}
     */
    public FlinkCluster(Path flinkDir, Path confDir) {
        this.flinkDir = flinkDir;
        this.confDir = confDir;
    }

    /** A Flink configuration value for both processes, on top of config.yaml (e.g. {@code s3.endpoint}). */
    public FlinkCluster withProperty(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** How many TaskManagers {@link #start()} starts, 1 unless set (each has the slots of config.yaml). */
    public FlinkCluster withTaskManagers(int count) {
        taskManagerCount = count;
        return this;
    }

    /** Starts the JobManager and the TaskManagers and waits until the REST API lists the TaskManagers' slots. */
    public synchronized FlinkCluster start() {
        if (workDir != null) {
            throw new IllegalStateException("already started: " + restUrl());
        }
        reapOrphans();
        try {
            workDir = Files.createTempDirectory("flink-cluster-");
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Files.copy(confDir.resolve("config.yaml"), conf.resolve("config.yaml"));
            Files.createDirectories(workDir.resolve("checkpoints"));
            Files.createDirectories(workDir.resolve("savepoints"));
            Files.createDirectories(workDir.resolve("tmp"));
            Files.createDirectories(workDir.resolve("upload"));
            restPort = FreePorts.next();
            int rpcPort;
            do {
                rpcPort = FreePorts.next();
            } while (rpcPort == restPort);
            properties.put("rest.port", Integer.toString(restPort));
            properties.put("jobmanager.rpc.port", Integer.toString(rpcPort));
            properties.put("execution.checkpointing.dir", checkpointDir().toUri().toString());
            properties.put("execution.checkpointing.savepoint-dir", savepointDir().toUri().toString());
            properties.put("io.tmp.dirs", workDir.resolve("tmp").toString());
            properties.put("web.upload.dir", workDir.resolve("upload").toString());
        } catch (IOException e) {
            deleteWorkDir();
            throw new UncheckedIOException(e);
        }
        rest = new FlinkRest(restUrl());
        shutdownHook = new Thread(this::destroyNow, "flink-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            jobManager = spawn("jobmanager", JOB_MANAGER, List.of("-Xms128m", "-Xmx512m", "-XX:MaxMetaspaceSize=192m"),
                    Map.of());
            rest.awaitTaskManager(null, READY_TIMEOUT, jobManager, this::logTail);
            startTaskManager();
            for (int i = 1; i < taskManagerCount; i++) {
                otherTaskManagers.add(spawnTaskManager());
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT}: the REST API and web UI. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public FlinkRest rest() {
        return rest;
    }

    /** Where the cluster's checkpoints go ({@code execution.checkpointing.dir}). */
    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    /** The cluster's default savepoint directory. */
    public Path savepointDir() {
        return workDir.resolve("savepoints");
    }

    /** Starts a TaskManager (after a {@link #killTaskManager()}) and waits until it has registered. */
    public synchronized void startTaskManager() {
        if (taskManager != null && taskManager.isAlive()) {
            throw new IllegalStateException("a TaskManager runs already");
        }
        taskManager = spawnTaskManager();
    }

    private Process spawnTaskManager() {
        taskManagersStarted++;
        // the sizes of conf/flink/config.yaml: heap = framework + task heap, direct = framework + task off-heap +
        // network, the metaspace as configured
        // a resource id of our own: the REST API lists a killed TaskManager until its heartbeat times out
        String resourceId = "taskmanager-" + taskManagersStarted;
        Process started = spawn(resourceId, TASK_MANAGER,
                List.of("-Xms512m", "-Xmx512m", "-XX:MaxDirectMemorySize=320m", "-XX:MaxMetaspaceSize=192m"),
                Map.of("taskmanager.resource-id", resourceId));
        rest.awaitTaskManager(resourceId, READY_TIMEOUT, started, this::logTail);
        return started;
    }

    /** SIGKILLs the TaskManager, as a crashed machine would: its tasks fail and the job restarts elsewhere. */
    public synchronized void killTaskManager() {
        Process p = taskManager;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("no TaskManager runs");
        }
        p.destroyForcibly();
        ChildProcesses.waitForExit(p, STOP_TIMEOUT);
        taskManager = null;
    }

    /** Stops the processes (SIGTERM, then SIGKILL after a timeout) and deletes the cluster's directory. */
    public synchronized void stop() {
        ChildProcesses.stop(taskManager, STOP_TIMEOUT);
        taskManager = null;
        otherTaskManagers.forEach(other -> ChildProcesses.stop(other, STOP_TIMEOUT));
        otherTaskManagers.clear();
        ChildProcesses.stop(jobManager, STOP_TIMEOUT);
        jobManager = null;
        deleteWorkDir();
        ChildProcesses.removeShutdownHook(shutdownHook);
        shutdownHook = null;
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------------------------------------

    private Process spawn(String name, String mainClass, List<String> memory, Map<String, String> own) {
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ChildProcesses.javaBinary());
        command.addAll(memory);
        // the --add-opens/--add-exports that Flink's own scripts pass on Java 17, from one file the script shares
        command.add("@" + confDir.resolve("java-options"));
        command.add(ChildProcesses.ownerArgument(OWNER_PROPERTY));
        command.add("-Dlog.file=" + log);
        command.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j2.properties"));
        command.add("-cp");
        command.add(flinkDir.resolve("lib").resolve("*").toString());
        command.add(mainClass);
        command.add("--configDir");
        command.add(workDir.resolve("conf").toString());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        own.forEach((key, value) -> command.add("-D" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLINK_PLUGINS_DIR", flinkDir.resolve("plugins").toString());
        return ChildProcesses.start(builder, workDir, workDir.resolve(name + ".out"));
    }

    /** The last lines of every log and console output of the cluster's processes, for failure messages. */
    public String logTail() {
        Path dir = workDir;
        if (dir == null) {
            return "";
        }
        try (var files = Files.list(dir)) {
            return ChildProcesses.tail(files
                    .filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out"))
                    .sorted()
                    .toList());
        } catch (IOException e) {
            return "(could not list the logs in " + dir + ": " + e + ")";
        }
    }

    /**
     * The lines of the cluster's logs that match {@code pattern}, at most {@code limit} of them (the latest), each
     * prefixed by its file's name: the evidence a failure message quotes.
     */
    public String logLines(Pattern pattern, int limit) {
        Path dir = workDir;
        if (dir == null) {
            return "";
        }
        List<String> matching = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (pattern.matcher(line).find()) {
                        matching.add(file.getFileName() + ": " + line);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            matching.add("(could not read the logs in " + dir + ": " + e + ")");
        }
        return String.join("\n", matching.subList(Math.max(0, matching.size() - limit), matching.size()));
    }

    private void destroyNow() {
        ChildProcesses.destroyNow(taskManager);
        List.copyOf(otherTaskManagers).forEach(ChildProcesses::destroyNow);
        ChildProcesses.destroyNow(jobManager);
        Path dir = workDir;
        if (dir != null) {
            ChildProcesses.deleteRecursively(dir);
        }
    }

    private void deleteWorkDir() {
        if (workDir != null) {
            ChildProcesses.deleteRecursively(workDir);
            workDir = null;
        }
    }

    private static void reapOrphans() {
        ChildProcesses.reapOrphans(OWNER_PROPERTY, args -> {
            int index = args.indexOf("--configDir");
            Path dir = index >= 0 && index + 1 < args.size() ? Path.of(args.get(index + 1)).getParent() : null;
            if (dir != null && dir.getFileName().toString().startsWith("flink-cluster-")) {
                ChildProcesses.deleteRecursively(dir);
            }
        });
    }
}
