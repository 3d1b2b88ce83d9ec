package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * Reads the configuration: the commented defaults bundled from {@code conf/trace-analytics.yaml}, then the user's
 * file, then {@code --set key=value} overrides; keys nested or flat, as in Flink's {@code config.yaml}. Keys of the
 * job's own sections must exist in the defaults (except inside free-form maps such as {@code kafka.properties});
 * every other key must be a Flink option, which is handed to Flink unchanged ({@link FlinkSettings}). So a misspelt
 * key is an error, not a silent default; so is a renamed one ({@link RenamedKeys}).
 */
public final class ConfigLoader {

    /** Classpath location of the defaults; the build copies {@code conf/trace-analytics.yaml} there. */
    public static final String DEFAULTS_RESOURCE = "/trace-analytics.yaml";

    /** Maps whose keys are the user's own (passed through to a client), not configuration keys. */
    private static final Set<String> FREE_FORM_MAPS = Set.of("kafka.properties", "alertmanager.external-labels");

    /** The top-level sections of the job's own keys; every other key is Flink's. */
    private static final Set<String> JOB_SECTIONS = Arrays.stream(TraceAnalyticsConfig.class.getRecordComponents())
            .map(component -> component.getAccessor().getAnnotation(JsonProperty.class).value().isEmpty()
                    ? component.getName()
                    : component.getAccessor().getAnnotation(JsonProperty.class).value())
            .filter(name -> !name.equals("flink"))
            .collect(Collectors.toUnmodifiableSet());

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
        ObjectNode tree = layers(userFiles, overrides);
        ObjectNode typed = tree.deepCopy();
        typed.set("flink", YAML.valueToTree(flinkSettings(typed).options()));
        TraceAnalyticsConfig config;
        try {
            config = YAML.treeToValue(typed, TraceAnalyticsConfig.class);
        } catch (MismatchedInputException e) {
            throw new ConfigException("config key '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
        validate(config);
        return config;
    }

    /**
     * The settings the user's files and overrides change from the defaults, one {@code key: value} line each, in key
     * order; durations are written with their unit ({@code 5ms}), so that a number read as milliseconds shows.
     */
    public static List<String> changedSettings(List<Path> userFiles, Map<String, String> overrides) {
        Map<String, JsonNode> defaults = flatten(readDefaults());
        Map<String, JsonNode> effective = flatten(layers(userFiles, overrides));
        List<String> lines = new ArrayList<>();
        effective.forEach((key, value) -> {
            if (!value.equals(defaults.get(key))) {
                lines.add(key + ": " + describe(key, value, defaults.get(key)));
            }
        });
        return lines;
    }

    private static String describe(String key, JsonNode value, JsonNode defaultValue) {
        if (FREE_FORM_MAPS.contains(key)) {
            return KafkaClientProperties.redacted(YAML.convertValue(value, Map.class)).toString();
        }
        if (key.endsWith("secret-key") || key.endsWith("access-key")) {
            return "(secret)";
        }
        boolean duration = defaultValue != null && defaultValue.isTextual() && isDuration(defaultValue.asText())
                || FlinkOptions.option(key).map(o -> o.defaultValue() instanceof Duration).orElse(false);
        if (duration && value.isValueNode()) {
            try {
                return Durations.format(Durations.parse(value.asText()));
            } catch (IllegalArgumentException e) {
                return value.asText();
            }
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static boolean isDuration(String text) {
        if (!text.matches("\\d+\\s*[a-zA-Zµ]+")) {
            return false;
        }
        try {
            Durations.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The defaults with every user file, then every override, laid over them: nested, flat keys unfolded. */
    private static ObjectNode layers(List<Path> userFiles, Map<String, String> overrides) {
        ObjectNode tree = readDefaults();
        for (Path userFile : userFiles) {
            JsonNode user = readUserFile(userFile);
            flatten(user).keySet().forEach(key -> refuseRenamed(key, userFile.toString()));
            merge(tree, nested(user, ""), "", userFile.toString());
        }
        overrides.forEach((key, value) -> {
            refuseRenamed(key, "--set");
            set(tree, key, value);
        });
        return tree;
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled defaults " + DEFAULTS_RESOURCE + " are missing");
            }
            return nested(YAML.readTree(in), "");
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

    /** {@code node} with flat dotted keys unfolded into nested mappings (not inside free-form maps). */
    private static ObjectNode nested(JsonNode node, String prefix) {
        ObjectNode result = YAML.createObjectNode();
        node.fields().forEachRemaining(field -> {
            List<String> parts = FREE_FORM_MAPS.contains(prefix.replaceAll("\\.$", ""))
                    ? List.of(field.getKey())
                    : List.of(field.getKey().split("\\."));
            ObjectNode parent = result;
            String path = prefix;
            for (String part : parts.subList(0, parts.size() - 1)) {
                path += part + ".";
                JsonNode child = parent.get(part);
                if (!(child instanceof ObjectNode)) {
                    child = YAML.createObjectNode();
                    parent.set(part, child);
                }
                parent = (ObjectNode) child;
            }
            String last = parts.get(parts.size() - 1);
            JsonNode value = field.getValue().isObject() && !FREE_FORM_MAPS.contains(path + last)
                    ? nested(field.getValue(), path + last + ".")
                    : field.getValue();
            if (parent.get(last) instanceof ObjectNode existing && value instanceof ObjectNode more) {
                merge(existing, more, path + last + ".", "flat and nested keys");
            } else {
                parent.set(last, value);
            }
        });
        return result;
    }

    /** Every leaf of {@code tree} by its dotted key; free-form maps are leaves. */
    private static Map<String, JsonNode> flatten(JsonNode tree) {
        Map<String, JsonNode> flat = new TreeMap<>();
        flatten(tree, "", flat);
        return flat;
    }

    private static void flatten(JsonNode node, String prefix, Map<String, JsonNode> flat) {
        node.fields().forEachRemaining(field -> {
            String key = prefix + field.getKey();
            if (field.getValue().isObject() && !FREE_FORM_MAPS.contains(key)) {
                flatten(field.getValue(), key + ".", flat);
            } else {
                flat.put(key, field.getValue());
            }
        });
    }

    /** Flink's part of {@code tree} (every top-level key that is not a section of the job's own), taken out of it. */
    private static FlinkSettings flinkSettings(ObjectNode tree) {
        ObjectNode flinkPart = YAML.createObjectNode();
        List<String> flinkRoots = new ArrayList<>();
        tree.fieldNames().forEachRemaining(name -> {
            if (!JOB_SECTIONS.contains(name)) {
                flinkRoots.add(name);
            }
        });
        flinkRoots.forEach(name -> flinkPart.set(name, tree.remove(name)));
        Map<String, String> options = new TreeMap<>();
        flatten(flinkPart).forEach((key, value) -> {
            if (!FlinkOptions.isKnown(key)) {
                throw new ConfigException("unknown config key '" + key + "': neither a Flink option nor a key of the "
                        + "job's own (sections: " + String.join(", ", new TreeSet<>(JOB_SECTIONS)) + ")");
            }
            options.put(key, flinkText(value));
        });
        Configuration flink = Configuration.fromMap(options);
        options.keySet().forEach(key -> FlinkOptions.option(key).ifPresent(option -> {
            try {
                flink.get(option);
            } catch (RuntimeException e) {
                throw new ConfigException("config key '" + key + "': '" + options.get(key) + "' is not a valid value ("
                        + e.getMessage() + ")", e);
            }
        }));
        return new FlinkSettings(options);
    }

    /** A YAML value as Flink's configuration reads it from text: lists {@code a;b}, maps {@code k:v,k:v}. */
    private static String flinkText(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(";", items);
        }
        if (value.isObject()) {
            List<String> entries = new ArrayList<>();
            value.fields().forEachRemaining(e -> entries.add(e.getKey() + ":" + e.getValue().asText()));
            return String.join(",", entries);
        }
        return value.asText();
    }

    private static void refuseRenamed(String key, String origin) {
        String renamed = RenamedKeys.newKeyOf(key);
        if (renamed != null) {
            throw new ConfigException("config key '" + key + "' (in " + origin + ") was renamed: it is now " + renamed);
        }
    }

    /** Deep-merges {@code source} into {@code target}, refusing keys of the job's own that the defaults lack. */
    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null
                    && !FREE_FORM_MAPS.contains(prefix.replaceAll("\\.$", ""))
                    && isJobKey(key)) {
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

    private static boolean isJobKey(String key) {
        return JOB_SECTIONS.contains(key.split("\\.", 2)[0]);
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
        boolean jobKey = isJobKey(dottedKey);
        ObjectNode node = tree;
        String prefix = "";
        for (int i = 0; i < parts.size() - 1; i++) {
            JsonNode child = node.get(parts.get(i));
            if (child == null && !jobKey) {
                child = YAML.createObjectNode();
                node.set(parts.get(i), child);
            }
            if (!(child instanceof ObjectNode childObject)) {
                throw unknownKey(prefix + parts.get(i), node, prefix, "--set");
            }
            node = childObject;
            prefix += parts.get(i) + ".";
        }
        String last = parts.get(parts.size() - 1);
        if (!node.has(last) && freeMap == null && jobKey) {
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
        FlinkSettings flink = config.flink();
        require(flink.parallelism().orElse(1) >= 1, "parallelism.default must be at least 1");
        int maxParallelism = flink.configuration().get(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM);
        require(maxParallelism == -1
                        || (maxParallelism >= flink.parallelism().orElse(1) && maxParallelism <= 32768),
                "pipeline.max-parallelism must be between parallelism.default and 32768");
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
        positive(config.kafka().transactionTimeout(), "kafka.transaction-timeout");
        // an exactly-once transaction stays open until the checkpoint after its records completes: one the broker
        // aborts first loses them
        Duration longestCheckpoint = flink.checkpointInterval().plus(flink.checkpointTimeout());
        require(config.kafka().deliveryGuarantee() != TraceAnalyticsConfig.DeliveryGuarantee.EXACTLY_ONCE
                        || config.kafka().transactionTimeout().compareTo(longestCheckpoint) > 0,
                "kafka.transaction-timeout (" + Durations.format(config.kafka().transactionTimeout())
                        + ") must be longer than execution.checkpointing.interval plus "
                        + "execution.checkpointing.timeout (" + Durations.format(longestCheckpoint) + "), or the "
                        + "broker may abort a transaction the job still means to commit");
        require(config.output().maxPartSize().bytes() > 0, "output.max-part-size must be positive");
        validateDetection(config.detection());
        validatePatterns(config.patterns());
        validateLifecycle(config.lifecycle());
        require(config.archive().compression() != null, "archive.compression must be zstd, snappy, gzip or uncompressed");
        require(config.archive().compaction() != null, "archive.compaction must be a mapping");
        notNegative(config.archive().compaction().interval(), "archive.compaction.interval");
        require(config.archive().s3() != null, "archive.s3 must be a mapping of S3 settings");
        require(
                isBlank(config.archive().s3().accessKey()) == isBlank(config.archive().s3().secretKey()),
                "archive.s3.access-key and archive.s3.secret-key must be given together (or both left empty)");
        validateAlertmanager(config.alertmanager());
        validateSpanMetrics(config.spanMetrics());
    }

    private static void validateSpanMetrics(TraceAnalyticsConfig.SpanMetrics spanMetrics) {
        List<Double> buckets = spanMetrics.bucketsSeconds();
        require(buckets != null && !buckets.isEmpty(), "span-metrics.buckets must list at least one bucket bound");
        for (int i = 0; i < buckets.size(); i++) {
            require(buckets.get(i) != null && buckets.get(i) > 0 && Double.isFinite(buckets.get(i))
                            && (i == 0 || buckets.get(i) > buckets.get(i - 1)),
                    "span-metrics.buckets must be positive, finite and increasing (seconds): " + buckets);
        }
        require(spanMetrics.dimensions() != null && spanMetrics.dimensions().stream().noneMatch(d -> d == null
                        || d.isBlank()), "span-metrics.dimensions must be a list of attribute keys");
        require(spanMetrics.cardinalityLimit() >= 1, "span-metrics.cardinality-limit must be at least 1");
        positive(spanMetrics.exportInterval(), "span-metrics.export-interval");
    }

    private static void validateAlertmanager(TraceAnalyticsConfig.Alertmanager alertmanager) {
        require(alertmanager.batchSize() >= 1, "alertmanager.batch-size must be at least 1");
        positive(alertmanager.batchDelay(), "alertmanager.batch-delay");
        positive(alertmanager.resendInterval(), "alertmanager.resend-interval");
        require(alertmanager.retries() >= 0, "alertmanager.retries must not be negative");
        positive(alertmanager.retryBackoff(), "alertmanager.retry-backoff");
        positive(alertmanager.requestTimeout(), "alertmanager.request-timeout");
        String generator = new UrlTemplate(alertmanager.generatorUrl()).problem(UrlTemplate.ALERT_FIELDS);
        require(generator == null, "alertmanager.generator-url: " + generator);
        require(alertmanager.externalLabels() != null, "alertmanager.external-labels must be a mapping of labels");
        alertmanager.externalLabels().forEach((name, value) -> require(
                name.matches("[a-zA-Z_][a-zA-Z0-9_]*") && value != null,
                "alertmanager.external-labels: '" + name + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*) or has "
                        + "no value"));
        require(alertmanager.annotations() != null, "alertmanager.annotations must be a list (empty for none)");
        for (int i = 0; i < alertmanager.annotations().size(); i++) {
            TraceAnalyticsConfig.AlertmanagerAnnotations entry = alertmanager.annotations().get(i);
            String key = "alertmanager.annotations[" + i + "]";
            require(entry != null && entry.annotations() != null && !entry.annotations().isEmpty(),
                    key + " must give annotations (name: template)");
            String scope = Scoped.problemWith(entry);
            require(scope == null, key + ": " + scope);
            for (NameMatcher matcher : java.util.Arrays.asList(entry.alertType(), entry.alertRuleId())) {
                require(matcher == null || matcher.problem() == null, key + ": " + (matcher == null ? "" : matcher.problem()));
            }
            entry.annotations().forEach((name, template) -> {
                String problem = new UrlTemplate(template).problem(UrlTemplate.ALERT_FIELDS);
                require(problem == null, key + ".annotations." + name + ": " + problem);
            });
        }
        TraceAnalyticsConfig.BasicAuth basic = alertmanager.basicAuth();
        require(basic != null && alertmanager.tls() != null, "alertmanager.basic-auth and alertmanager.tls must be mappings");
        require(isBlank(basic.username()) || isBlank(alertmanager.bearerTokenFile()),
                "alertmanager.basic-auth and alertmanager.bearer-token-file exclude each other: give one");
        require(!isBlank(basic.username()) || isBlank(basic.passwordFile()),
                "alertmanager.basic-auth.password-file needs alertmanager.basic-auth.username");
        require(isBlank(alertmanager.tls().caFile()) || isBlank(alertmanager.tls().trustStore()),
                "alertmanager.tls.ca-file and alertmanager.tls.trust-store exclude each other: give one");
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
            Silence silence = lifecycle.silences().get(i);
            String problem = silence == null ? "must give a service, an operation or an alert type" : silence.problem();
            require(problem == null, "lifecycle.silences[" + i + "]: " + problem);
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
        List<ScopedThresholds> scoped = detection.thresholds().scoped();
        require(scoped != null, "detection.thresholds.scoped must be a list (empty for none)");
        for (int i = 0; i < scoped.size(); i++) {
            String problem = ScopedThresholds.problemWith(scoped.get(i));
            require(problem == null, "detection.thresholds.scoped[" + i + "]: " + problem);
        }
        notNegative(detection.span().allowedLateness(), "detection.span.allowed-lateness");
        positive(detection.span().inactivityTimeout(), "detection.span.inactivity-timeout");
        positive(detection.windows().size(), "detection.windows.size");
        validateBaseline(detection.baseline(), detection.windows().size());
        validateIncidents(detection.incidents());
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

    private static void validateIncidents(TraceAnalyticsConfig.DetectionIncidents incidents) {
        require(incidents != null, "detection.incidents must be a mapping of incident settings");
        positive(incidents.window(), "detection.incidents.window");
        require(
                Double.isFinite(incidents.minShare()) && incidents.minShare() > 0 && incidents.minShare() <= 1,
                "detection.incidents.min-share must be above 0 and at most 1");
        require(incidents.minBreaches() >= 1, "detection.incidents.min-breaches must be at least 1");
        require(incidents.exemplars() >= 0, "detection.incidents.exemplars must not be negative");
        require(incidents.traceUrl() != null, "detection.incidents.trace-url must be a text (empty for none)");
        require(incidents.scoped() != null, "detection.incidents.scoped must be a list (empty for none)");
        for (int i = 0; i < incidents.scoped().size(); i++) {
            String problem = ScopedIncidentShare.problemWith(incidents.scoped().get(i));
            require(problem == null, "detection.incidents.scoped[" + i + "]: " + problem);
        }
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

    /** Flink's duration grammar, {@link Durations}. */
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
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw MismatchedInputException.from(p, Duration.class, e.getMessage());
            }
        }
    }
}
