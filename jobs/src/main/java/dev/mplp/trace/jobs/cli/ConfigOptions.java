package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by every command that runs a job. */
public class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file with the configuration keys to change (defaults: conf/trace-analytics.yaml).")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set job.parallelism=4 (repeatable; wins over --config).")
    Map<String, String> overrides = new LinkedHashMap<>();

    public TraceAnalyticsConfig load() {
        return ConfigLoader.load(configFile, overrides);
    }
}
