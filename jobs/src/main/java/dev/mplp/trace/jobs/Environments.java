package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment of a job: the cluster's when the jar was submitted with {@code flink run} (or a test's
 * MiniCluster), else an embedded Flink with its web UI. Parallelism, max parallelism, checkpointing, the state backend
 * and the restart strategy always come from the configuration, never from the machine or the cluster.
 */
public final class Environments {

    private Environments() {}

    /** A streaming environment, checkpointed as configured. */
    public static StreamExecutionEnvironment create(TraceAnalyticsConfig config, PrintStream console) {
        return create(config, console, RuntimeExecutionMode.STREAMING);
    }

    /**
     * @param mode {@link RuntimeExecutionMode#BATCH} for bounded reprocessing: keyed inputs sorted by key and event
     *     time, no checkpoints (a failure reruns the failed stages, a bounded number of times)
     */
    public static StreamExecutionEnvironment create(
            TraceAnalyticsConfig config, PrintStream console, RuntimeExecutionMode mode) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (env instanceof LocalStreamEnvironment) {
            env = embedded(config, console);
        }
        env.setRuntimeMode(mode);
        env.setParallelism(config.job().parallelism());
        env.setMaxParallelism(config.job().maxParallelism());
        env.setBufferTimeout(config.job().bufferTimeout().toMillis());
        if (mode == RuntimeExecutionMode.BATCH) {
            env.configure(FaultTolerance.batchSettings(config));
            return env;
        }
        env.enableCheckpointing(config.checkpointing().interval().toMillis());
        env.getCheckpointConfig().setCheckpointTimeout(config.checkpointing().timeout().toMillis());
        env.getCheckpointConfig()
                .setMinPauseBetweenCheckpoints(config.checkpointing().minPause().toMillis());
        env.configure(FaultTolerance.settings(config));
        return env;
    }

    private static StreamExecutionEnvironment embedded(TraceAnalyticsConfig config, PrintStream console) {
        int port = config.embedded().webUiPort() == 0 ? freePort() : config.embedded().webUiPort();
        Configuration flink = new Configuration();
        // a local environment would otherwise size itself by the machine's CPU count
        flink.set(CoreOptions.DEFAULT_PARALLELISM, config.job().parallelism());
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.job().parallelism());
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE,
                new MemorySize(config.embedded().managedMemory().bytes()));
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.PORT, port);
        // checkpoints to files: the job manager's memory takes at most 5 MB of state per operator, which the alert
        // lifecycle alone outgrows under load (found by the benchmark's live feed)
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory());
        // accumulators (the progress lines) travel with heartbeats: report them every couple of seconds
        flink.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(2));
        console.println("Embedded Flink, web UI at http://127.0.0.1:" + port + "/");
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
    }

    /** A fresh directory for the embedded Flink's checkpoints, as a file URI. */
    private static String checkpointDirectory() {
        try {
            return Files.createTempDirectory("trace-analytics-checkpoints").toUri().toString();
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory for the embedded Flink's checkpoints", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded web UI", e);
        }
    }
}
