package dev.mplp.trace.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;

/**
 * The Flink options a job's configuration may set under Flink's own keys: those Flink declares in its option classes
 * (read from them, so the list follows the Flink version), plus the key families Flink leaves open. A key that is
 * neither is a typo, refused like a misspelt key of the job's own.
 */
final class FlinkOptions {

    private static final List<String> OPTION_CLASSES = List.of(
            "CoreOptions", "PipelineOptions", "ExecutionOptions", "CheckpointingOptions", "StateBackendOptions",
            "StateRecoveryOptions", "StateChangelogOptions", "RestartStrategyOptions", "RestOptions",
            "TaskManagerOptions", "JobManagerOptions", "MetricOptions", "WebOptions", "HeartbeatManagerOptions",
            "DeploymentOptions", "ClusterOptions", "BatchExecutionOptions", "NettyShuffleEnvironmentOptions",
            "AkkaOptions", "RpcOptions", "HighAvailabilityOptions", "SecurityOptions");

    /** Families of keys whose last part is the user's (reporters, RocksDB tuning, job parameters). */
    private static final List<String> OPEN_PREFIXES =
            List.of("metrics.reporter.", "state.backend.rocksdb.", "pipeline.global-job-parameters.");

    private static final Map<String, ConfigOption<?>> BY_KEY = load();

    private FlinkOptions() {}

    /** The option of {@code key}; empty for keys of an open family. */
    static Optional<ConfigOption<?>> option(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    static boolean isKnown(String key) {
        return BY_KEY.containsKey(key) || OPEN_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static Map<String, ConfigOption<?>> load() {
        Map<String, ConfigOption<?>> options = new TreeMap<>();
        for (String simpleName : OPTION_CLASSES) {
            Class<?> type;
            try {
                type = Class.forName("org.apache.flink.configuration." + simpleName);
            } catch (ClassNotFoundException | LinkageError absentInThisFlinkVersion) {
                continue;
            }
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        options.put(option.key(), option);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }
}
