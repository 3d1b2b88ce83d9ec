package dev.mplp.trace.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The properties every Kafka client of the jobs gets: {@code kafka.properties} from the configuration, overridden by
 * environment variables {@code TRACE_ANALYTICS_KAFKA_<NAME>} ({@code NAME} upper case with {@code _} for {@code .}:
 * {@code TRACE_ANALYTICS_KAFKA_SASL_JAAS_CONFIG} sets {@code sasl.jaas.config}), so that passwords need not be in a
 * file. Values of secret properties are never printed: see {@link #redacted}.
 */
public final class KafkaClientProperties {

    public static final String ENV_PREFIX = "TRACE_ANALYTICS_KAFKA_";

    private KafkaClientProperties() {}

    /** The configured properties with the process environment's overrides. */
    public static Properties resolve(Map<String, String> configured) {
        return resolve(configured, System.getenv());
    }

    public static Properties resolve(Map<String, String> configured, Map<String, String> environment) {
        Properties properties = new Properties();
        properties.putAll(configured);
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                properties.setProperty(
                        name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** True for properties that hold a secret: JAAS configurations, passwords, keys and credentials. */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("jaas") || lower.contains("password") || lower.contains("secret")
                || lower.contains("credential") || lower.endsWith(".key") || lower.contains("token");
    }

    /** The properties for printing: secret values replaced by {@code (redacted)}, in name order. */
    public static Map<String, String> redacted(Map<?, ?> properties) {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((name, value) -> shown.put(String.valueOf(name),
                isSecret(String.valueOf(name)) ? "(redacted)" : String.valueOf(value)));
        return shown;
    }
}
