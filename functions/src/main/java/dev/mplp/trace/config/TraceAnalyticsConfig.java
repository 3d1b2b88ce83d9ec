package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of every job. The defaults and the documentation of each key live in
 * {@code conf/trace-analytics.yaml}; {@link ConfigLoader} reads that file, the user's file and the
 * {@code --set} overrides into this class. Serializable so that functions can keep the parts they need.
 */
public record TraceAnalyticsConfig(
        @JsonProperty(required = true) FlinkSettings flink,
        @JsonProperty(required = true) Ingest ingest,
        @JsonProperty(value = "event-time", required = true) EventTime eventTime,
        @JsonProperty(required = true) Kafka kafka,
        @JsonProperty(required = true) Output output,
        @JsonProperty(required = true) Detection detection,
        @JsonProperty(required = true) Patterns patterns,
        @JsonProperty(required = true) Lifecycle lifecycle,
        @JsonProperty(required = true) Archive archive,
        @JsonProperty(required = true) SecurityConfig security,
        @JsonProperty(required = true) Alertmanager alertmanager,
        @JsonProperty(value = "span-metrics", required = true) SpanMetrics spanMetrics)
        implements Serializable {

    public record Ingest(
            @JsonProperty("max-message-bytes") long maxMessageBytes,
            @JsonProperty("dead-letter-payload-bytes") int deadLetterPayloadBytes,
            @JsonProperty("duplicate-window") Duration duplicateWindow,
            @JsonProperty("protocol-versions") List<String> protocolVersions,
            @JsonProperty("source-format") SourceFormat sourceFormat)
            implements Serializable {}

    public record EventTime(
            @JsonProperty("max-out-of-orderness") Duration maxOutOfOrderness,
            @JsonProperty("idle-timeout") Duration idleTimeout,
            @JsonProperty("watermark-interval") Duration watermarkInterval)
            implements Serializable {}

    public record Kafka(
            @JsonProperty("group-id") String groupId,
            @JsonProperty("starting-offsets") StartingOffsets startingOffsets,
            @JsonProperty("delivery-guarantee") DeliveryGuarantee deliveryGuarantee,
            @JsonProperty("transactional-id-prefix") String transactionalIdPrefix,
            @JsonProperty("transaction-timeout") Duration transactionTimeout,
            Map<String, String> properties)
            implements Serializable {

        /** Never prints secret client properties (SASL JAAS configurations, passwords). */
        @Override
        public String toString() {
            return "Kafka{groupId=" + groupId + ", startingOffsets=" + startingOffsets + ", deliveryGuarantee="
                    + deliveryGuarantee + ", transactionalIdPrefix=" + transactionalIdPrefix
                    + ", transactionTimeout=" + transactionTimeout + ", properties="
                    + KafkaClientProperties.redacted(properties) + "}";
        }
    }

    public record Output(@JsonProperty("max-part-size") MemorySize maxPartSize) implements Serializable {}

    public record Detection(
            DetectionThresholds thresholds,
            SpanLifetime span,
            DetectionWindows windows,
            DetectionBaseline baseline,
            DetectionIncidents incidents)
            implements Serializable {}

    /**
     * When the per-span breaches of one (service, operation, rule) make an incident: at least {@code min-share} of
     * its spans and at least {@code min-breaches} of them within the sliding {@code window} (evaluated every
     * {@code detection.windows.size}); {@code exemplars} of them named in the incident, each with a link from
     * {@code trace-url} ({@code {trace_id}}, {@code {span_id}} filled in; empty for none). {@code page-per-span}
     * also sends every per-span breach as its own incident, as before the aggregation. The first of {@code scoped}
     * that applies to a (service, operation, rule) gives its own share and count instead.
     */
    public record DetectionIncidents(
            Duration window,
            @JsonProperty("min-share") double minShare,
            @JsonProperty("min-breaches") int minBreaches,
            int exemplars,
            @JsonProperty("trace-url") String traceUrl,
            @JsonProperty("page-per-span") boolean pagePerSpan,
            List<ScopedIncidentShare> scoped)
            implements Serializable {

        /** The share of an operation's spans that must breach {@code ruleId}: scoped, else the default. */
        public double minShareOf(String service, String operation, String ruleId) {
            ScopedIncidentShare entry = scopedOf(service, operation, ruleId);
            return entry == null || entry.minShare == null ? minShare : entry.minShare;
        }

        /** The number of an operation's spans that must breach {@code ruleId}: scoped, else the default. */
        public int minBreachesOf(String service, String operation, String ruleId) {
            ScopedIncidentShare entry = scopedOf(service, operation, ruleId);
            return entry == null || entry.minBreaches == null ? minBreaches : entry.minBreaches;
        }

        private ScopedIncidentShare scopedOf(String service, String operation, String ruleId) {
            for (ScopedIncidentShare entry : scoped) {
                if (entry.appliesTo(service, operation, ruleId)) {
                    return entry;
                }
            }
            return null;
        }
    }

    /**
     * The limits a span is checked against where its start message gives none (the first of {@code scoped} that
     * applies to its service and operation, else the {@code defaults}), and the hysteresis fraction that keeps a
     * value near its limit from triggering and resolving over and over.
     */
    public record DetectionThresholds(ThresholdDefaults defaults, double hysteresis, List<ScopedThresholds> scoped)
            implements Serializable {

        public DetectionThresholds(ThresholdDefaults defaults, double hysteresis) {
            this(defaults, hysteresis, List.of());
        }
    }

    /** One value per limit of the protocol's {@code alert_thresholds} and {@code performance_targets}. */
    public record ThresholdDefaults(
            @JsonProperty("duration-ms") double durationMs,
            @JsonProperty("cpu-usage-percent") double cpuUsagePercent,
            @JsonProperty("memory-usage-mb") double memoryUsageMb,
            @JsonProperty("error-rate-percent") double errorRatePercent,
            @JsonProperty("max-latency-p95-ms") double maxLatencyP95Ms,
            @JsonProperty("min-throughput-ops-per-sec") double minThroughputOpsPerSec,
            @JsonProperty("max-error-rate-percent") double maxErrorRatePercent)
            implements Serializable {}

    /** How long the detectors keep a span's state after its completion, and without any message. */
    public record SpanLifetime(
            @JsonProperty("allowed-lateness") Duration allowedLateness,
            @JsonProperty("inactivity-timeout") Duration inactivityTimeout)
            implements Serializable {}

    /** The tumbling event-time windows of the RED and resource summaries. */
    public record DetectionWindows(Duration size) implements Serializable {}

    /**
     * The rolling baselines of the RED metrics and how far a window must stray from them to be a
     * {@code performance_degradation}; see {@code DegradationDetector}.
     */
    public record DetectionBaseline(
            @JsonProperty("history-windows") int historyWindows,
            @JsonProperty("warm-up-windows") int warmUpWindows,
            @JsonProperty("min-span-count") long minSpanCount,
            @JsonProperty("min-relative-change") double minRelativeChange,
            @JsonProperty("min-z-score") double minZScore,
            @JsonProperty("min-std-fraction") double minStdFraction,
            @JsonProperty("min-error-rate-increase") double minErrorRateIncrease,
            @JsonProperty("critical-factor") double criticalFactor,
            @JsonProperty("min-degraded-windows") int minDegradedWindows,
            @JsonProperty("extreme-factor") double extremeFactor,
            @JsonProperty("new-normal-after") Duration newNormalAfter,
            @JsonProperty("idle-timeout") Duration idleTimeout)
            implements Serializable {}

    /** The parameters of the Flink CEP patterns of {@code cep-patterns/}, one record per pattern. */
    public record Patterns(
            @JsonProperty("sustained-breach") SustainedBreach sustainedBreach,
            @JsonProperty("incomplete-span") IncompleteSpan incompleteSpan,
            @JsonProperty("degradation-trend") DegradationTrend degradationTrend,
            @JsonProperty("error-burst") ErrorBurst errorBurst)
            implements Serializable {}

    /** At least {@code breaches} of {@code evaluations} consecutive evaluations over the limit, within {@code within}. */
    public record SustainedBreach(int breaches, int evaluations, Duration within) implements Serializable {}

    /** A span is incomplete {@code timeout-factor} × its {@code duration_ms} limit after its start, at most {@code max-timeout}. */
    public record IncompleteSpan(
            @JsonProperty("timeout-factor") double timeoutFactor, @JsonProperty("max-timeout") Duration maxTimeout)
            implements Serializable {}

    /** {@code windows} consecutive windows above the baseline band, none beyond {@code max-deviation}. */
    public record DegradationTrend(
            int windows,
            double band,
            @JsonProperty("max-deviation") double maxDeviation,
            Duration within,
            @JsonProperty("min-spans") long minSpans)
            implements Serializable {}

    /** At least {@code errors} error events of one service within {@code within}. */
    public record ErrorBurst(int errors, Duration within) implements Serializable {}

    /** What the alert lifecycle, after all detectors, lets through and when. */
    public record Lifecycle(
            @JsonProperty("min-firing-duration") Duration minFiringDuration,
            @JsonProperty("recovery-period") Duration recoveryPeriod,
            Flapping flapping,
            @JsonProperty("critical-deviation-percent") double criticalDeviationPercent,
            List<Silence> silences)
            implements Serializable {}

    /** An incident that toggles {@code toggles} times within {@code within} is flapping. */
    public record Flapping(int toggles, Duration within) implements Serializable {}

    /**
     * The Parquet archive: compression of its files, how its small files are compacted and the S3 client settings of
     * {@code s3://} archive roots.
     */
    public record Archive(ArchiveCompression compression, ArchiveCompaction compaction, ArchiveS3 s3)
            implements Serializable {}

    /**
     * Each table's part files of one partition are rewritten as one file once they have waited {@code interval}
     * (counted in checkpoints), or earlier when they add up to {@code output.max-part-size}; zero leaves the files
     * as the checkpoints roll them.
     */
    public record ArchiveCompaction(Duration interval) implements Serializable {

        public boolean enabled() {
            return !interval.isZero();
        }
    }

    /**
     * Settings of Flink's S3 file system ({@code flink-s3-fs-hadoop}); an empty value leaves the file system's own
     * default (for credentials: the AWS environment variables and the rest of the AWS credential chain).
     */
    public record ArchiveS3(
            String endpoint,
            @JsonProperty("path-style-access") boolean pathStyleAccess,
            String region,
            @JsonProperty("access-key") String accessKey,
            @JsonProperty("secret-key") String secretKey)
            implements Serializable {

        /** Never prints the credentials. */
        @Override
        public String toString() {
            return "ArchiveS3{endpoint=" + endpoint + ", pathStyleAccess=" + pathStyleAccess + ", region=" + region
                    + ", accessKey=" + (isBlank(accessKey) ? "(none)" : "(set)") + ", secretKey="
                    + (isBlank(secretKey) ? "(none)" : "(set)") + "}";
        }

        private static boolean isBlank(String value) {
            return value == null || value.isBlank();
        }
    }

    /**
     * How {@code stream --alertmanager URL} posts alerts to Alertmanager's v2 API: batches of at most
     * {@code batchSize} alerts, sent at the latest {@code batchDelay} after the first of them (and at every
     * checkpoint); a failed request is retried {@code retries} times, waiting {@code retryBackoff} and twice as long
     * each time; open incidents are posted again every {@code resendInterval}, since Alertmanager resolves an alert
     * it has not heard of for a while.
     */
    public record Alertmanager(
            @JsonProperty("batch-size") int batchSize,
            @JsonProperty("batch-delay") Duration batchDelay,
            @JsonProperty("resend-interval") Duration resendInterval,
            int retries,
            @JsonProperty("retry-backoff") Duration retryBackoff,
            @JsonProperty("request-timeout") Duration requestTimeout,
            @JsonProperty("generator-url") String generatorUrl,
            @JsonProperty("external-labels") Map<String, String> externalLabels,
            List<AlertmanagerAnnotations> annotations,
            @JsonProperty("basic-auth") BasicAuth basicAuth,
            @JsonProperty("bearer-token-file") String bearerTokenFile,
            AlertmanagerTls tls)
            implements Serializable {}

    /**
     * Annotations (templates: {@code {service}} and the other fields of {@code AlertLinks}) added to the alerts of
     * the services, operations, alert types and rules its matchers match (null: all); of several entries that give
     * the same annotation, the first that applies wins.
     */
    public record AlertmanagerAnnotations(
            NameMatcher service,
            NameMatcher operation,
            @JsonProperty("alert-type") NameMatcher alertType,
            @JsonProperty("alert-rule-id") NameMatcher alertRuleId,
            Map<String, String> annotations)
            implements Scoped, Serializable {}

    /** HTTP basic authentication: the user name; the password from {@code password-file}, else the environment. */
    public record BasicAuth(String username, @JsonProperty("password-file") String passwordFile)
            implements Serializable {}

    /** Whom to trust on {@code https://}: a PEM file of CA certificates, or a trust store; empty: the JVM's. */
    public record AlertmanagerTls(
            @JsonProperty("ca-file") String caFile,
            @JsonProperty("trust-store") String trustStore,
            @JsonProperty("trust-store-password-file") String trustStorePasswordFile)
            implements Serializable {}

    /** The RED metrics per span series, as the OpenTelemetry Collector's spanmetrics connector writes them. */
    public record SpanMetrics(
            @JsonProperty("buckets") List<Double> bucketsSeconds,
            List<String> dimensions,
            @JsonProperty("cardinality-limit") int cardinalityLimit,
            @JsonProperty("export-interval") Duration exportInterval)
            implements Serializable {}

    /** Parquet compression codecs the archive can write (each readable by Spark, Trino and DuckDB). */
    public enum ArchiveCompression {
        @JsonProperty("zstd")
        ZSTD,
        @JsonProperty("snappy")
        SNAPPY,
        @JsonProperty("gzip")
        GZIP,
        @JsonProperty("uncompressed")
        UNCOMPRESSED
    }

    /** How the records of the source are encoded (see {@code ingest.source-format}). */
    public enum SourceFormat {
        /** The Trace Module protocol's JSON messages. */
        @JsonProperty("mplp")
        MPLP,
        /** One OTLP {@code ExportTraceServiceRequest} per record, protobuf (the Collector's Kafka exporter). */
        @JsonProperty("otlp_proto")
        OTLP_PROTO,
        /** One OTLP {@code ExportTraceServiceRequest} per record, OTLP/JSON. */
        @JsonProperty("otlp_json")
        OTLP_JSON
    }

    public enum StartingOffsets {
        @JsonProperty("committed")
        COMMITTED,
        @JsonProperty("earliest")
        EARLIEST,
        @JsonProperty("latest")
        LATEST
    }

    public enum DeliveryGuarantee {
        @JsonProperty("exactly-once")
        EXACTLY_ONCE,
        @JsonProperty("at-least-once")
        AT_LEAST_ONCE,
        @JsonProperty("none")
        NONE
    }

    /** A byte size written as {@code 128mb}, {@code 64kb}, {@code 1gb} or a plain number of bytes. */
    public record MemorySize(long bytes) implements Serializable {
        @com.fasterxml.jackson.annotation.JsonCreator
        public static MemorySize parse(String text) {
            return new MemorySize(org.apache.flink.configuration.MemorySize.parseBytes(text));
        }
    }
}
