package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theBundledDefaultsLoadWithTheDocumentedValues() {
        TraceAnalyticsConfig config = ConfigLoader.defaults();

        assertThat(config.flink().parallelism()).as("-p or the cluster's, unless configured").isEmpty();
        assertThat(config.flink().options()).containsEntry("pipeline.max-parallelism", "128");
        assertThat(config.flink().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.ingest().duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.ingest().protocolVersions()).containsExactly("1.0.0-alpha", "1.0.0");
        assertThat(config.kafka().deliveryGuarantee()).isEqualTo(TraceAnalyticsConfig.DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.output().maxPartSize().bytes()).isEqualTo(128L * 1024 * 1024);
    }

    @Test
    void aUserFileChangesOnlyTheKeysItHoldsAndSetWinsOverIt() throws IOException {
        Path file = write("parallelism:\n  default: 4\nevent-time:\n  max-out-of-orderness: 1m\n");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("parallelism.default", "3");
        overrides.put("kafka.properties.security.protocol", "SASL_SSL");

        TraceAnalyticsConfig config = ConfigLoader.load(file, overrides);

        assertThat(config.flink().parallelism()).hasValue(3);
        assertThat(config.flink().options()).containsEntry("pipeline.max-parallelism", "128");
        assertThat(config.eventTime().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aMisspeltKeyIsAnErrorNamingItAndItsNeighbours() throws IOException {
        Path file = write("event-time:\n  idle-timout: 4s\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("event-time.idle-timout")
                .hasMessageContaining("event-time.idle-timeout");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("execution.checkpointing.intervall", "5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'execution.checkpointing.intervall'")
                .hasMessageContaining("neither a Flink option");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ingest.window", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.window");
    }

    @Test
    void aValueOfTheWrongKindNamesTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ingest.duplicate-window", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate-window")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("parallelism.default", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'parallelism.default': 'many' is not a valid value");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("execution.checkpointing.interval", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("execution.checkpointing.interval");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("kafka.delivery-guarantee", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery-guarantee");
    }

    @Test
    void inconsistentValuesAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("parallelism.default", "0")))
                .hasMessageContaining("parallelism.default");
        assertThatThrownBy(() -> ConfigLoader.load(null,
                        Map.of("pipeline.max-parallelism", "1", "parallelism.default", "2")))
                .hasMessageContaining("pipeline.max-parallelism");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
                .hasMessageContaining("absent.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("kafka.transaction-timeout", "1m")))
                .hasMessageContaining("kafka.transaction-timeout (1min) must be longer than "
                        + "execution.checkpointing.interval plus execution.checkpointing.timeout (610s)");
        assertThat(ConfigLoader.load(null, Map.of("kafka.transaction-timeout", "1m",
                        "kafka.delivery-guarantee", "at-least-once")).kafka().transactionTimeout())
                .as("no transactions, no limit")
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aConfigFileMayWriteKeysFlatAsFlinksConfigYamlDoes() throws IOException {
        Path file = write("execution.checkpointing.interval: 3s\n"
                + "restart-strategy.type: fixed-delay\n"
                + "event-time.max-out-of-orderness: 2s\n"
                + "kafka.properties:\n  security.protocol: SASL_SSL\n"
                + "detection:\n  windows.size: 2min\n");

        TraceAnalyticsConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.flink().checkpointInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.flink().options()).containsEntry("restart-strategy.type", "fixed-delay");
        assertThat(config.eventTime().maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.detection().windows().size()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aRenamedKeyIsAnErrorNamingItsNewKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("checkpointing.interval", "5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'checkpointing.interval' (in --set) was renamed: it is now "
                        + "execution.checkpointing.interval");
        Path file = write("job:\n  parallelism: 4\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageContaining("'job.parallelism'")
                .hasMessageContaining("it is now parallelism.default");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("state.backend", "rocksdb")))
                .hasMessageContaining("it is now state.backend.type");
    }

    @Test
    void theSettingsThatDifferFromTheDefaultsAreListedDurationsWithTheirUnit() throws IOException {
        Path file = write("execution.checkpointing.interval: 30s\nkafka:\n  properties:\n    sasl.jaas.config: secret\n");

        List<String> changed = ConfigLoader.changedSettings(List.of(file), Map.of(
                "event-time.max-out-of-orderness", "5",
                "parallelism.default", "3",
                "execution.checkpointing.timeout", "10min"));

        assertThat(changed).containsExactly(
                "event-time.max-out-of-orderness: 5ms",
                "execution.checkpointing.interval: 30s",
                "kafka.properties: {sasl.jaas.config=(redacted)}",
                "parallelism.default: 3");
    }

    @Test
    void securityChecksWithAnOtlpSourceAreRefusedAtLoading() {
        for (Map.Entry<String, String> check : Map.of(
                "security.integrity.mode", "require",
                "security.authentication.mode", "verify",
                "security.pii.enabled", "true").entrySet()) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
                            "ingest.source-format", "otlp_json", check.getKey(), check.getValue())))
                    .as(check.getKey())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("apply to ingest.source-format mplp only, not otlp_json");
        }
        assertThat(ConfigLoader.load(null, Map.of("ingest.source-format", "otlp_proto")).ingest().sourceFormat())
                .isEqualTo(TraceAnalyticsConfig.SourceFormat.OTLP_PROTO);
    }

    @Test
    void theDetectionDefaultsAreTheProtocolSamplesLimits() {
        TraceAnalyticsConfig.Detection detection = ConfigLoader.defaults().detection();

        assertThat(detection.thresholds().defaults())
                .isEqualTo(new TraceAnalyticsConfig.ThresholdDefaults(10_000, 80, 2048, 5, 2000, 100, 1));
        assertThat(detection.thresholds().hysteresis()).isEqualTo(0.1);
        assertThat(detection.span().allowedLateness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(detection.span().inactivityTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigLoader.load(null, Map.of("detection.thresholds.defaults.cpu-usage-percent", "90.5"))
                        .detection().thresholds().defaults().cpuUsagePercent())
                .isEqualTo(90.5);
    }

    @Test
    void detectionValuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("detection.thresholds.hysteresis", "1")))
                .hasMessageContaining("detection.thresholds.hysteresis");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("detection.thresholds.defaults.duration-ms", "-1")))
                .hasMessageContaining("detection.thresholds.defaults.duration-ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("detection.span.inactivity-timeout", "0s")))
                .hasMessageContaining("detection.span.inactivity-timeout");
    }

    @Test
    void theWindowAndBaselineSettingsLoadAndCanBeChanged() {
        TraceAnalyticsConfig.Detection detection = ConfigLoader.defaults().detection();

        assertThat(detection.windows().size()).isEqualTo(Duration.ofMinutes(1));
        assertThat(detection.baseline())
                .isEqualTo(new TraceAnalyticsConfig.DetectionBaseline(
                        96, 15, 20, 0.5, 4, 0.05, 10, 2, 2, 3, Duration.ofMinutes(30), Duration.ofHours(1)));
        TraceAnalyticsConfig.Detection changed = ConfigLoader.load(
                        null,
                        Map.of("detection.windows.size", "30s", "detection.baseline.history-windows", "200"))
                .detection();
        assertThat(changed.windows().size()).isEqualTo(Duration.ofSeconds(30));
        assertThat(changed.baseline().historyWindows()).isEqualTo(200);
    }

    @Test
    void windowAndBaselineValuesOutOfRangeAreRefused() {
        Map<String, String> outOfRange = Map.ofEntries(
                Map.entry("detection.windows.size", "0s"),
                Map.entry("detection.baseline.history-windows", "14"),
                Map.entry("detection.baseline.extreme-factor", "0.5"),
                Map.entry("detection.baseline.new-normal-after", "0s"),
                Map.entry("detection.baseline.warm-up-windows", "0"),
                Map.entry("detection.baseline.min-span-count", "0"),
                Map.entry("detection.baseline.min-relative-change", "0"),
                Map.entry("detection.baseline.min-z-score", "-1"),
                Map.entry("detection.baseline.min-std-fraction", "-0.1"),
                Map.entry("detection.baseline.min-error-rate-increase", "101"),
                Map.entry("detection.baseline.critical-factor", "0.5"),
                Map.entry("detection.baseline.idle-timeout", "0s"),
                Map.entry("detection.baseline.min-degraded-windows", "0"));
        outOfRange.forEach((key, value) -> assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(key, value)))
                .as(key + "=" + value)
                .hasMessageContaining(key));
        assertThatThrownBy(() -> ConfigLoader.load(
                        null, Map.of("detection.windows.size", "10m", "detection.baseline.idle-timeout", "10m")))
                .hasMessageContaining("detection.baseline.idle-timeout");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("detection.baseline.warm-up", "3")))
                .hasMessageContaining("detection.baseline.warm-up");
    }

    @Test
    void incidentsAggregateBreachesByDefaultAndRefuseSettingsOutOfRange() {
        assertThat(ConfigLoader.defaults().detection().incidents()).isEqualTo(new TraceAnalyticsConfig.DetectionIncidents(
                Duration.ofMinutes(5), 0.05, 5, 3, "", false, List.of()));
        assertThat(ConfigLoader.load(null, Map.of("detection.incidents.page-per-span", "true"))
                        .detection().incidents().pagePerSpan())
                .isTrue();
        Map<String, String> outOfRange = Map.of(
                "detection.incidents.window", "0s",
                "detection.incidents.min-share", "0",
                "detection.incidents.min-breaches", "0",
                "detection.incidents.exemplars", "-1");
        outOfRange.forEach((key, value) -> assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(key, value)))
                .as(key + "=" + value)
                .hasMessageContaining(key));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("detection.incidents.min-share", "1.5")))
                .hasMessageContaining("detection.incidents.min-share");
    }

    @Test
    void thePatternDefaultsAreTheDocumentedOnes() {
        TraceAnalyticsConfig.Patterns patterns = ConfigLoader.defaults().patterns();

        assertThat(patterns.sustainedBreach())
                .isEqualTo(new TraceAnalyticsConfig.SustainedBreach(3, 5, Duration.ofMinutes(5)));
        assertThat(patterns.incompleteSpan())
                .isEqualTo(new TraceAnalyticsConfig.IncompleteSpan(2.0, Duration.ofMinutes(10)));
        assertThat(patterns.degradationTrend())
                .isEqualTo(new TraceAnalyticsConfig.DegradationTrend(3, 0.2, 0.5, Duration.ofMinutes(5), 20));
        assertThat(patterns.errorBurst()).isEqualTo(new TraceAnalyticsConfig.ErrorBurst(5, Duration.ofMinutes(1)));
        assertThat(ConfigLoader.load(null, Map.of("patterns.sustained-breach.breaches", "4"))
                        .patterns().sustainedBreach().breaches())
                .isEqualTo(4);
    }

    @Test
    void patternValuesOutOfRangeAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.sustained-breach.breaches", "1")))
                .hasMessageContaining("patterns.sustained-breach.breaches");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.sustained-breach.evaluations", "2")))
                .hasMessageContaining("patterns.sustained-breach.evaluations");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.incomplete-span.timeout-factor", "0.5")))
                .hasMessageContaining("patterns.incomplete-span.timeout-factor");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.degradation-trend.max-deviation", "0.1")))
                .hasMessageContaining("patterns.degradation-trend.max-deviation");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.degradation-trend.min-spans", "0")))
                .hasMessageContaining("patterns.degradation-trend.min-spans");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.error-burst.within", "0s")))
                .hasMessageContaining("patterns.error-burst.within");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("patterns.error-burst.count", "3")))
                .hasMessageContaining("patterns.error-burst.count");
    }

    @Test
    void theLifecycleDefaultsAreTheDocumentedOnesAndSilencesAreReadFromAFile() throws IOException {
        TraceAnalyticsConfig.Lifecycle lifecycle = ConfigLoader.defaults().lifecycle();

        assertThat(lifecycle.minFiringDuration()).isEqualTo(Duration.ZERO);
        assertThat(lifecycle.recoveryPeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(lifecycle.flapping()).isEqualTo(new TraceAnalyticsConfig.Flapping(6, Duration.ofMinutes(15)));
        assertThat(lifecycle.criticalDeviationPercent()).isEqualTo(100);
        assertThat(lifecycle.silences()).isEmpty();

        Path file = write("lifecycle:\n  silences:\n    - {service: checkout, alert-type: sustained_breach}\n");
        assertThat(ConfigLoader.load(file, Map.of()).lifecycle().silences())
                .containsExactly(new Silence(NameMatcher.valueOf("checkout"), null, NameMatcher.valueOf("sustained_breach")));
    }

    @Test
    void silencesTakeRegularExpressionsExclusionsAndAnExpiryAndABadOneIsRefusedNamingIt() throws IOException {
        Path file = write("lifecycle:\n  silences:\n"
                + "    - service: {include: [\"~pay.*\"], exclude: [payments-canary]}\n"
                + "      alert-type: \"~.*_breach\"\n"
                + "      ends-at: 2025-09-03T11:00:00Z\n"
                + "      comment: migration, ask the payments team\n");

        Silence silence = ConfigLoader.load(file, Map.of()).lifecycle().silences().get(0);
        long beforeExpiry = java.time.Instant.parse("2025-09-03T10:59:59Z").toEpochMilli();
        assertThat(silence.matches("threshold_breach", "payments", "charge", beforeExpiry)).isTrue();
        assertThat(silence.matches("threshold_breach", "payments-canary", "charge", beforeExpiry)).isFalse();
        assertThat(silence.matches("threshold_breach", "payments", "charge", beforeExpiry + 1000)).isFalse();

        Path badRegex = write("lifecycle:\n  silences:\n    - {operation: \"~charge(\"}\n");
        assertThatThrownBy(() -> ConfigLoader.load(badRegex, Map.of()))
                .hasMessageContaining("lifecycle.silences[0]: operation: '~charge(' is not a regular expression");
    }

    @Test
    void scopedThresholdsAreReadByTheProtocolsNamesAndANegativeLimitIsRefusedNamingTheEntry() throws IOException {
        assertThat(ConfigLoader.defaults().detection().thresholds().scoped()).isEmpty();
        Path file = write("detection.thresholds.scoped:\n"
                + "  - {service: checkout, operation: \"~charge|refund\", thresholds: {duration_ms: 3000}}\n");

        ScopedThresholds scoped = ConfigLoader.load(file, Map.of()).detection().thresholds().scoped().get(0);
        assertThat(scoped.appliesTo("checkout", "refund")).isTrue();
        assertThat(scoped.appliesTo("checkout", "list_cart")).isFalse();
        assertThat(scoped.thresholds.durationMs).isEqualTo(3000.0);
        assertThat(scoped.thresholds.cpuUsagePercent).isNull();

        Path negative = write("detection.thresholds.scoped:\n  - {service: checkout, thresholds: {cpu_usage_percent: -1}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(negative, Map.of())).hasMessageContaining(
                "detection.thresholds.scoped[0]: thresholds.cpu_usage_percent: must be a number, not negative");
    }

    @Test
    void scopedIncidentSharesApplyToTheirServiceOperationAndRuleOnlyAndAShareAboveOneIsRefused() throws IOException {
        Path file = write("detection.incidents.scoped:\n"
                + "  - {service: checkout, rule: \"~target\\\\..*\", min-share: 0.2}\n"
                + "  - {operation: charge, min-breaches: 12}\n");

        TraceAnalyticsConfig.DetectionIncidents incidents = ConfigLoader.load(file, Map.of()).detection().incidents();
        assertThat(incidents.minShareOf("checkout", "charge", "target.max_latency_p95_ms")).isEqualTo(0.2);
        assertThat(incidents.minBreachesOf("checkout", "charge", "target.max_latency_p95_ms"))
                .as("the first entry that applies gives no count: the default")
                .isEqualTo(5);
        assertThat(incidents.minShareOf("checkout", "charge", "threshold.duration_ms")).isEqualTo(0.05);
        assertThat(incidents.minBreachesOf("checkout", "charge", "threshold.duration_ms")).isEqualTo(12);
        assertThat(incidents.minShareOf("inventory", "reserve", "target.max_latency_p95_ms")).isEqualTo(0.05);

        Path tooHigh = write("detection.incidents.scoped:\n  - {service: checkout, min-share: 1.5}\n");
        assertThatThrownBy(() -> ConfigLoader.load(tooHigh, Map.of())).hasMessageContaining(
                "detection.incidents.scoped[0]: min-share must be above 0 and at most 1");
        Path empty = write("detection.incidents.scoped:\n  - {service: checkout}\n");
        assertThatThrownBy(() -> ConfigLoader.load(empty, Map.of())).hasMessageContaining(
                "detection.incidents.scoped[0]: must give min-share or min-breaches");
    }

    @Test
    void lifecycleValuesOutOfRangeAreRefusedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("lifecycle.flapping.toggles", "1")))
                .hasMessageContaining("lifecycle.flapping.toggles");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("lifecycle.recovery-period", "-1s")))
                .hasMessageContaining("lifecycle.recovery-period");
        Path everything = write("lifecycle:\n  silences:\n    - {}\n");
        assertThatThrownBy(() -> ConfigLoader.load(everything, Map.of()))
                .hasMessageContaining("lifecycle.silences[0]");
        Path misspelt = write("lifecycle:\n  silences:\n    - {servce: checkout}\n");
        assertThatThrownBy(() -> ConfigLoader.load(misspelt, Map.of())).hasMessageContaining("servce");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
