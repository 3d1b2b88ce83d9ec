package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theBundledDefaultsLoadWithTheDocumentedValues() {
        TraceAnalyticsConfig config = ConfigLoader.defaults();

        assertThat(config.job().parallelism()).isEqualTo(2);
        assertThat(config.job().maxParallelism()).isEqualTo(128);
        assertThat(config.ingest().duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.ingest().protocolVersions()).containsExactly("1.0.0-alpha", "1.0.0");
        assertThat(config.kafka().deliveryGuarantee()).isEqualTo(TraceAnalyticsConfig.DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.output().maxPartSize().bytes()).isEqualTo(128L * 1024 * 1024);
    }

    @Test
    void aUserFileChangesOnlyTheKeysItHoldsAndSetWinsOverIt() throws IOException {
        Path file = write("job:\n  parallelism: 4\nevent-time:\n  max-out-of-orderness: 1m\n");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("job.parallelism", "3");
        overrides.put("kafka.properties.security.protocol", "SASL_SSL");

        TraceAnalyticsConfig config = ConfigLoader.load(file, overrides);

        assertThat(config.job().parallelism()).isEqualTo(3);
        assertThat(config.job().maxParallelism()).isEqualTo(128);
        assertThat(config.eventTime().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aMisspeltKeyIsAnErrorNamingItAndItsNeighbours() throws IOException {
        Path file = write("job:\n  paralelism: 4\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("job.paralelism")
                .hasMessageContaining("job.parallelism");
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
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("job.parallelism", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parallelism");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("kafka.delivery-guarantee", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery-guarantee");
    }

    @Test
    void inconsistentValuesAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("job.parallelism", "0")))
                .hasMessageContaining("job.parallelism");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("job.max-parallelism", "1", "job.parallelism", "2")))
                .hasMessageContaining("job.max-parallelism");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
                .hasMessageContaining("absent.yaml");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
