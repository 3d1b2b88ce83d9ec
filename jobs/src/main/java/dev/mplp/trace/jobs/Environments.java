package dev.mplp.trace.jobs;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.net.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment of a job: the cluster's when the jar was submitted with {@code flink run} (or a test's
 * MiniCluster), else an embedded Flink with its web UI. Flink's own settings of the configuration
 * ({@code execution.checkpointing.*}, {@code restart-strategy.*}, {@code state.backend.type}, ...) are handed to
 * Flink unchanged. The parallelism is the configuration's {@code parallelism.default} where it sets one, else
 * {@code flink run -p} or the cluster's: the job never sets its own.
 */
public final class Environments {

    /** The parallelism of an embedded run whose configuration sets none: not the machine's CPU count. */
    public static final int EMBEDDED_PARALLELISM = 2;

    private static final MemorySize EMBEDDED_MANAGED_MEMORY = MemorySize.parse("128mb");

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
        Configuration flink = config.flink().configuration();
        flink.set(ExecutionOptions.RUNTIME_MODE, mode);
        if (mode == RuntimeExecutionMode.BATCH) {
            flink.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
            flink.addAll(FaultTolerance.batchSettings(flink));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (env instanceof LocalStreamEnvironment) {
            return embedded(config, flink, console);
        }
        env.configure(flink);
        return env;
    }

    private static StreamExecutionEnvironment embedded(
            TraceAnalyticsConfig config, Configuration jobSettings, PrintStream console) {
        Configuration flink = new Configuration(jobSettings);
        int parallelism = config.flink().parallelism().orElse(EMBEDDED_PARALLELISM);
        int port = flink.getOptional(RestOptions.PORT).filter(p -> p != 0).orElseGet(FreePorts::next);
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        if (!flink.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
            flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, EMBEDDED_MANAGED_MEMORY);
        }
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.PORT, port);
        // checkpoints to files: the job manager's memory takes at most 5 MB of state per operator, which the alert
        // lifecycle alone outgrows under load (found by the benchmark's live feed)
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        if (flink.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            // a directory of the user's: the run resumes from the newest checkpoint a killed or stopped run left there
            // (a run that ends by itself deletes its checkpoints), and leaves its own when stopped
            flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            String directory = flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
            EmbeddedCheckpoints.latest(Path.of(URI.create(directory.contains(":") ? directory : "file:" + directory)))
                    .ifPresent(checkpoint -> {
                        flink.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
                        console.println("Resuming from checkpoint " + checkpoint
                                + " (delete " + directory + " to start afresh)");
                    });
        } else if (jobSettings.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.STREAMING) {
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, temporaryCheckpointDirectory());
        }
        // accumulators (the progress lines) travel with heartbeats: report them every couple of seconds
        flink.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(2));
        console.println("Embedded Flink, web UI at http://127.0.0.1:" + port + "/");
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
    }

    /** A fresh directory for the embedded Flink's checkpoints, as a file URI. */
    private static String temporaryCheckpointDirectory() {
        try {
            return Files.createTempDirectory("trace-analytics-checkpoints").toUri().toString();
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory for the embedded Flink's checkpoints", e);
        }
    }

    /** True when the job runs on an embedded Flink of its own (no {@code flink run}, no test MiniCluster). */
    public static boolean isEmbedded() {
        return StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
    }
}
