package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code archive:} section of the configuration. */
class ArchiveConfigTest {

    @Test
    void defaultsToZstdAndLeavesTheS3SettingsToTheEnvironment() {
        TraceAnalyticsConfig.Archive archive = ConfigLoader.defaults().archive();

        assertThat(archive.compression()).isEqualTo(TraceAnalyticsConfig.ArchiveCompression.ZSTD);
        assertThat(archive.s3().endpoint()).isEmpty();
        assertThat(archive.s3().accessKey()).isEmpty();
        assertThat(archive.s3().secretKey()).isEmpty();
        assertThat(archive.s3().pathStyleAccess()).isFalse();
    }

    @Test
    void compactsEveryHourUnlessTurnedOff() {
        assertThat(ConfigLoader.defaults().archive().compaction().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigLoader.defaults().archive().compaction().enabled()).isTrue();

        TraceAnalyticsConfig.ArchiveCompaction off =
                ConfigLoader.load(null, Map.of("archive.compaction.interval", "0s")).archive().compaction();
        assertThat(off.enabled()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("archive.compaction.interval", "-1s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.compaction.interval");
    }

    @Test
    void readsEveryKeyFromOverrides() {
        TraceAnalyticsConfig.Archive archive = ConfigLoader.load(null, Map.of(
                        "archive.compression", "snappy",
                        "archive.s3.endpoint", "http://127.0.0.1:9000",
                        "archive.s3.path-style-access", "true",
                        "archive.s3.region", "eu-central-1",
                        "archive.s3.access-key", "id",
                        "archive.s3.secret-key", "secret"))
                .archive();

        assertThat(archive.compression()).isEqualTo(TraceAnalyticsConfig.ArchiveCompression.SNAPPY);
        assertThat(archive.s3().endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(archive.s3().pathStyleAccess()).isTrue();
        assertThat(archive.s3().region()).isEqualTo("eu-central-1");
        assertThat(archive.s3().accessKey()).isEqualTo("id");
        assertThat(archive.s3().secretKey()).isEqualTo("secret");
    }

    @Test
    void neverPrintsTheCredentials() {
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "archive.s3.access-key", "AKIDEXAMPLE", "archive.s3.secret-key", "wJalrXUtnFEMI"));

        assertThat(config.toString()).doesNotContain("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void refusesAnUnknownCodecAndAHalfGivenKeyPair() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("archive.compression", "lz4000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.compression");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("archive.s3.access-key", "id")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.s3.secret-key");
    }
}
