package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;

/**
 * Flink's own settings of a job, under Flink's own keys ({@code execution.checkpointing.interval},
 * {@code restart-strategy.type}, ...), as the configuration gives them: handed to Flink unchanged, which reads them
 * as it reads its {@code config.yaml}. The few the job itself needs to know are read here through Flink's options.
 *
 * @param options flat Flink key to its value as text
 */
public record FlinkSettings(Map<String, String> options) implements Serializable {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public FlinkSettings {
        options = new TreeMap<>(options);
    }

    /** A Flink configuration holding these settings. */
    public Configuration configuration() {
        return Configuration.fromMap(options);
    }

    /** The job's name in the web UI and REST API. */
    public String jobName() {
        return configuration().getOptional(PipelineOptions.NAME).orElse("trace-analytics");
    }

    /** The parallelism the configuration sets; empty: {@code flink run -p}, the cluster's or the embedded default. */
    public Optional<Integer> parallelism() {
        return configuration().getOptional(CoreOptions.DEFAULT_PARALLELISM);
    }

    /** How often checkpoints are taken: outputs are committed at this pace. */
    public Duration checkpointInterval() {
        return configuration().getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(Duration.ZERO);
    }

    public Duration checkpointTimeout() {
        return configuration().get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
    }

    /** A copy with {@code key} set to {@code value}. */
    public FlinkSettings with(String key, String value) {
        Map<String, String> more = new TreeMap<>(options);
        more.put(key, value);
        return new FlinkSettings(more);
    }
}
