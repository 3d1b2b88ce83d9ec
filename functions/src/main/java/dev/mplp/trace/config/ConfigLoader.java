package dev.mplp.trace.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.util.TimeUtils;

/**
 * Reads the configuration: the commented defaults bundled from {@code conf/trace-analytics.yaml}, then the user's
 * file, then {@code --set key=value} overrides. Every key the user gives must exist in the defaults (except inside
 * free-form maps such as {@code kafka.properties}), so a misspelt key is an error, not a silent default.
 */
public final class ConfigLoader {

    /** Classpath location of the defaults; the build copies {@code conf/trace-analytics.yaml} there. */
    public static final String DEFAULTS_RESOURCE = "/trace-analytics.yaml";

    /** Maps whose keys are the user's own (passed through to a client), not configuration keys. */
    private static final Set<String> FREE_FORM_MAPS = Set.of("kafka.properties");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

    private ConfigLoader() {}

    /** The defaults alone. */
    public static TraceAnalyticsConfig defaults() {
        return load(null, Map.of());
    }

    /**
     * @param userFile a YAML file with the keys to change, or null
     * @param overrides {@code key=value} pairs by dotted key; values are read as YAML ({@code 4}, {@code true},
     *     {@code [a, b]}, {@code 30s})
     */
    public static TraceAnalyticsConfig load(Path userFile, Map<String, String> overrides) {
        return loadLayers(userFile == null ? List.of() : List.of(userFile), overrides);
    }

    /**
     * Layers several user files over the defaults, each later one winning, then the overrides: a backtest's
     * proposed rules are the rules in force with the proposal laid over them.
     */
    public static TraceAnalyticsConfig loadLayers(List<Path> userFiles, Map<String, String> overrides) {
        ObjectNode tree = readDefaults();
        for (Path userFile : userFiles) {
            merge(tree, readUserFile(userFile), "", userFile.toString());
        }
        overrides.forEach((key, value) -> set(tree, key, value));
        TraceAnalyticsConfig config;
        try {
            config = YAML.treeToValue(tree, TraceAnalyticsConfig.class);
        } catch (MismatchedInputException e) {
            throw new ConfigException("config key '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
        validate(config);
        return config;
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled defaults " + DEFAULTS_RESOURCE + " are missing");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled defaults " + DEFAULTS_RESOURCE, e);
        }
    }

    private static JsonNode readUserFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file);
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node instanceof NullNode) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("config file " + file + " must hold a YAML mapping of keys");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Deep-merges {@code source} into {@code target}, refusing keys the defaults do not have. */
    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null && !FREE_FORM_MAPS.contains(prefix.replaceAll("\\.$", ""))) {
                throw unknownKey(key, target, prefix, origin);
            }
            if (existing instanceof ObjectNode existingObject
                    && field.getValue().isObject()
                    && !FREE_FORM_MAPS.contains(key)) {
                merge(existingObject, field.getValue(), key + ".", origin);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void set(ObjectNode tree, String dottedKey, String value) {
        JsonNode parsed;
        try {
            parsed = value.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(value);
        } catch (IOException e) {
            throw new ConfigException("--set " + dottedKey + ": cannot read value '" + value + "': " + e.getMessage());
        }
        String freeMap = FREE_FORM_MAPS.stream()
                .filter(m -> dottedKey.startsWith(m + "."))
                .findFirst()
                .orElse(null);
        List<String> parts = new ArrayList<>();
        if (freeMap != null) {
            parts.addAll(List.of(freeMap.split("\\.")));
            parts.add(dottedKey.substring(freeMap.length() + 1));
        } else {
            parts.addAll(List.of(dottedKey.split("\\.")));
        }
        ObjectNode node = tree;
        String prefix = "";
        for (int i = 0; i < parts.size() - 1; i++) {
            JsonNode child = node.get(parts.get(i));
            if (!(child instanceof ObjectNode childObject)) {
                throw unknownKey(prefix + parts.get(i), node, prefix, "--set");
            }
            node = childObject;
            prefix += parts.get(i) + ".";
        }
        String last = parts.get(parts.size() - 1);
        if (!node.has(last) && freeMap == null) {
            throw unknownKey(dottedKey, node, prefix, "--set");
        }
        node.set(last, parsed);
    }

    private static ConfigException unknownKey(String key, JsonNode siblings, String prefix, String origin) {
        Set<String> known = new TreeSet<>();
        siblings.fieldNames().forEachRemaining(name -> known.add(prefix + name));
        return new ConfigException("unknown config key '" + key + "' (in " + origin + "); known keys here: "
                + String.join(", ", known));
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static void validate(TraceAnalyticsConfig config) {
        require(config.job().parallelism() >= 1, "job.parallelism must be at least 1");
        require(
                config.job().maxParallelism() >= config.job().parallelism()
                        && config.job().maxParallelism() <= 32768,
                "job.max-parallelism must be between job.parallelism and 32768");
        require(config.ingest().maxMessageBytes() > 0, "ingest.max-message-bytes must be positive");
        require(config.ingest().deadLetterPayloadBytes() >= 0, "ingest.dead-letter-payload-bytes must not be negative");
        require(!config.ingest().protocolVersions().isEmpty(), "ingest.protocol-versions must name at least one");
        // OTLP requests have no envelope to sign or authenticate, and their spans are not masked yet: refuse rather
        // than let a user believe a check or the masking applies
        SecurityConfig security = config.security();
        TraceAnalyticsConfig.SourceFormat format = config.ingest().sourceFormat();
        require(format == null
                        || format == TraceAnalyticsConfig.SourceFormat.MPLP
                        || (security.integrity().mode() == SecurityConfig.Mode.OFF
                                && security.authentication().mode() == SecurityConfig.Mode.OFF
                                && !security.pii().enabled()),
                "security.integrity, security.authentication and security.pii apply to ingest.source-format mplp "
                        + "only, not " + (format == null ? "" : format.name().toLowerCase(Locale.ROOT))
                        + ": turn them off, or mask OTLP attributes in the OpenTelemetry Collector before the job");
        positive(config.ingest().duplicateWindow(), "ingest.duplicate-window");
        notNegative(config.eventTime().maxOutOfOrderness(), "event-time.max-out-of-orderness");
        positive(config.eventTime().idleTimeout(), "event-time.idle-timeout");
        positive(config.eventTime().watermarkInterval(), "event-time.watermark-interval");
        notNegative(config.job().bufferTimeout(), "job.buffer-timeout");
        positive(config.checkpointing().interval(), "checkpointing.interval");
        positive(config.checkpointing().timeout(), "checkpointing.timeout");
        notNegative(config.checkpointing().minPause(), "checkpointing.min-pause");
        require(config.state().backend() != null, "state.backend must be hashmap or rocksdb");
        require(config.restart().strategy() != null,
                "restart.strategy must be exponential-delay, fixed-delay or none");
        positive(config.restart().delay(), "restart.delay");
        require(!config.restart().maxDelay().minus(config.restart().delay()).isNegative(),
                "restart.max-delay must be at least restart.delay");
        require(config.restart().attempts() >= 1, "restart.attempts must be at least 1");
        positive(config.kafka().transactionTimeout(), "kafka.transaction-timeout");
        // an exactly-once transaction stays open until the checkpoint after its records completes: one the broker
        // aborts first loses them
        Duration longestCheckpoint = config.checkpointing().interval().plus(config.checkpointing().timeout());
        require(config.kafka().deliveryGuarantee() != TraceAnalyticsConfig.DeliveryGuarantee.EXACTLY_ONCE
                        || config.kafka().transactionTimeout().compareTo(longestCheckpoint) > 0,
                "kafka.transaction-timeout (" + config.kafka().transactionTimeout() + ") must be longer than "
                        + "checkpointing.interval plus checkpointing.timeout (" + longestCheckpoint + "), or the "
                        + "broker may abort a transaction the job still means to commit");
        require(config.output().maxPartSize().bytes() > 0, "output.max-part-size must be positive");
        require(
                config.embedded().webUiPort() >= 0 && config.embedded().webUiPort() <= 65535,
                "embedded.web-ui-port must be 0 (any free port) or a port number");
        validateDetection(config.detection());
        validatePatterns(config.patterns());
        validateLifecycle(config.lifecycle());
        require(config.archive().compression() != null, "archive.compression must be zstd, snappy, gzip or uncompressed");
        require(config.archive().s3() != null, "archive.s3 must be a mapping of S3 settings");
        require(
                isBlank(config.archive().s3().accessKey()) == isBlank(config.archive().s3().secretKey()),
                "archive.s3.access-key and archive.s3.secret-key must be given together (or both left empty)");
        validateAlertmanager(config.alertmanager());
    }

    private static void validateAlertmanager(TraceAnalyticsConfig.Alertmanager alertmanager) {
        require(alertmanager.batchSize() >= 1, "alertmanager.batch-size must be at least 1");
        positive(alertmanager.batchDelay(), "alertmanager.batch-delay");
        positive(alertmanager.resendInterval(), "alertmanager.resend-interval");
        require(alertmanager.retries() >= 0, "alertmanager.retries must not be negative");
        positive(alertmanager.retryBackoff(), "alertmanager.retry-backoff");
        positive(alertmanager.requestTimeout(), "alertmanager.request-timeout");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static void validateLifecycle(TraceAnalyticsConfig.Lifecycle lifecycle) {
        notNegative(lifecycle.minFiringDuration(), "lifecycle.min-firing-duration");
        notNegative(lifecycle.recoveryPeriod(), "lifecycle.recovery-period");
        require(lifecycle.flapping().toggles() >= 2, "lifecycle.flapping.toggles must be at least 2");
        positive(lifecycle.flapping().within(), "lifecycle.flapping.within");
        require(
                Double.isFinite(lifecycle.criticalDeviationPercent()) && lifecycle.criticalDeviationPercent() > 0,
                "lifecycle.critical-deviation-percent must be a positive number");
        require(lifecycle.silences() != null, "lifecycle.silences must be a list (empty for none)");
        for (int i = 0; i < lifecycle.silences().size(); i++) {
            TraceAnalyticsConfig.Silence silence = lifecycle.silences().get(i);
            require(
                    silence != null
                            && (silence.service() != null || silence.operation() != null
                                    || silence.alertType() != null),
                    "lifecycle.silences[" + i + "] must give a service, an operation or an alert-type");
        }
    }

    private static void validatePatterns(TraceAnalyticsConfig.Patterns patterns) {
        TraceAnalyticsConfig.SustainedBreach sustained = patterns.sustainedBreach();
        require(sustained.breaches() >= 2, "patterns.sustained-breach.breaches must be at least 2");
        require(
                sustained.evaluations() >= sustained.breaches(),
                "patterns.sustained-breach.evaluations must be at least patterns.sustained-breach.breaches");
        positive(sustained.within(), "patterns.sustained-breach.within");
        TraceAnalyticsConfig.IncompleteSpan incomplete = patterns.incompleteSpan();
        require(
                Double.isFinite(incomplete.timeoutFactor()) && incomplete.timeoutFactor() >= 1,
                "patterns.incomplete-span.timeout-factor must be at least 1");
        positive(incomplete.maxTimeout(), "patterns.incomplete-span.max-timeout");
        TraceAnalyticsConfig.DegradationTrend trend = patterns.degradationTrend();
        require(trend.windows() >= 2, "patterns.degradation-trend.windows must be at least 2");
        require(
                Double.isFinite(trend.band()) && trend.band() >= 0,
                "patterns.degradation-trend.band must be a number, not negative");
        require(
                Double.isFinite(trend.maxDeviation()) && trend.maxDeviation() > trend.band(),
                "patterns.degradation-trend.max-deviation must be larger than patterns.degradation-trend.band");
        positive(trend.within(), "patterns.degradation-trend.within");
        require(trend.minSpans() >= 1, "patterns.degradation-trend.min-spans must be at least 1");
        require(patterns.errorBurst().errors() >= 2, "patterns.error-burst.errors must be at least 2");
        positive(patterns.errorBurst().within(), "patterns.error-burst.within");
    }

    private static void validateDetection(TraceAnalyticsConfig.Detection detection) {
        TraceAnalyticsConfig.ThresholdDefaults defaults = detection.thresholds().defaults();
        notNegative(defaults.durationMs(), "detection.thresholds.defaults.duration-ms");
        notNegative(defaults.cpuUsagePercent(), "detection.thresholds.defaults.cpu-usage-percent");
        notNegative(defaults.memoryUsageMb(), "detection.thresholds.defaults.memory-usage-mb");
        notNegative(defaults.errorRatePercent(), "detection.thresholds.defaults.error-rate-percent");
        notNegative(defaults.maxLatencyP95Ms(), "detection.thresholds.defaults.max-latency-p95-ms");
        notNegative(defaults.minThroughputOpsPerSec(), "detection.thresholds.defaults.min-throughput-ops-per-sec");
        notNegative(defaults.maxErrorRatePercent(), "detection.thresholds.defaults.max-error-rate-percent");
        double hysteresis = detection.thresholds().hysteresis();
        require(hysteresis >= 0 && hysteresis < 1, "detection.thresholds.hysteresis must be at least 0 and below 1");
        notNegative(detection.span().allowedLateness(), "detection.span.allowed-lateness");
        positive(detection.span().inactivityTimeout(), "detection.span.inactivity-timeout");
        positive(detection.windows().size(), "detection.windows.size");
        validateBaseline(detection.baseline(), detection.windows().size());
    }

    private static void validateBaseline(TraceAnalyticsConfig.DetectionBaseline baseline, Duration windowSize) {
        require(baseline.warmUpWindows() >= 1, "detection.baseline.warm-up-windows must be at least 1");
        require(
                baseline.historyWindows() >= baseline.warmUpWindows(),
                "detection.baseline.history-windows must be at least detection.baseline.warm-up-windows");
        require(baseline.minSpanCount() >= 1, "detection.baseline.min-span-count must be at least 1");
        require(
                Double.isFinite(baseline.minRelativeChange()) && baseline.minRelativeChange() > 0,
                "detection.baseline.min-relative-change must be a number above 0");
        notNegative(baseline.minZScore(), "detection.baseline.min-z-score");
        notNegative(baseline.minStdFraction(), "detection.baseline.min-std-fraction");
        require(
                Double.isFinite(baseline.minErrorRateIncrease())
                        && baseline.minErrorRateIncrease() >= 0
                        && baseline.minErrorRateIncrease() <= 100,
                "detection.baseline.min-error-rate-increase must be between 0 and 100 (percentage points)");
        require(
                Double.isFinite(baseline.criticalFactor()) && baseline.criticalFactor() >= 1,
                "detection.baseline.critical-factor must be a number of at least 1");
        require(baseline.minDegradedWindows() >= 1, "detection.baseline.min-degraded-windows must be at least 1");
        require(
                Double.isFinite(baseline.extremeFactor()) && baseline.extremeFactor() >= 1,
                "detection.baseline.extreme-factor must be a number of at least 1");
        positive(baseline.newNormalAfter(), "detection.baseline.new-normal-after");
        positive(baseline.idleTimeout(), "detection.baseline.idle-timeout");
        require(
                windowSize == null || baseline.idleTimeout().compareTo(windowSize) > 0,
                "detection.baseline.idle-timeout must be longer than detection.windows.size");
    }

    private static void positive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key + " must be a positive duration");
    }

    private static void notNegative(Duration d, String key) {
        require(d != null && !d.isNegative(), key + " must not be negative");
    }

    private static void notNegative(double value, String key) {
        require(Double.isFinite(value) && value >= 0, key + " must be a number, not negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }

    /** {@code 30s}, {@code 10m}, {@code 500ms}, {@code 2h}, or ISO-8601 {@code PT30S}. */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            try {
                return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : TimeUtils.parseDuration(text);
            } catch (RuntimeException e) {
                throw MismatchedInputException.from(
                        p, Duration.class, "'" + text + "' is not a duration (examples: 500ms, 30s, 10m, 2h)");
            }
        }
    }
}
