package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by every command that runs a job. */
public class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file with the configuration keys to change, nested or flat "
                    + "(defaults: conf/trace-analytics.yaml).")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set execution.checkpointing.interval=30s "
                    + "(repeatable; wins over --config).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The configuration; prints the settings that differ from the defaults, so that none goes unnoticed. */
    public TraceAnalyticsConfig load(Consumer<String> console) {
        return load(Map.of(), console);
    }

    /** @param commandDefaults the command's own settings, under the user's {@code --config} and {@code --set} */
    public TraceAnalyticsConfig load(Map<String, String> commandDefaults, Consumer<String> console) {
        Map<String, String> all = new LinkedHashMap<>(commandDefaults);
        all.putAll(overrides);
        List<Path> files = configFile == null ? List.of() : List.of(configFile);
        TraceAnalyticsConfig config = ConfigLoader.loadLayers(files, all);
        ConfigLoader.changedSettings(files, all).forEach(line -> console.accept("Setting (not the default): " + line));
        return config;
    }
}
