package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveLocationTest {

    @Test
    void readsAnS3BucketAndPrefix() {
        ArchiveLocation location = ArchiveLocation.parse("s3://trace-archive/prod/v1/");

        assertThat(location).isEqualTo(new ArchiveLocation.S3("trace-archive", "prod/v1"));
        assertThat(location.uri()).isEqualTo(URI.create("s3://trace-archive/prod/v1"));
        assertThat(ArchiveLocation.parse("s3://trace-archive")).isEqualTo(new ArchiveLocation.S3("trace-archive", ""));
    }

    @Test
    void readsALocalDirectoryAsAnAbsoluteFileUri() {
        ArchiveLocation location = ArchiveLocation.parse("file:out/archive");

        assertThat(location).isEqualTo(new ArchiveLocation.Local(Path.of("out/archive")));
        assertThat(location.uri().getScheme()).isEqualTo("file");
        assertThat(Path.of(location.uri())).isEqualTo(Path.of("out/archive").toAbsolutePath());
    }

    @Test
    void namesTheProblemOfABadLocation() {
        assertThatThrownBy(() -> ArchiveLocation.parse("hdfs://nn/archive"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://BUCKET/PREFIX or file:DIR");
        assertThatThrownBy(() -> ArchiveLocation.parse("s3://Bad_Bucket/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad_Bucket");
        assertThatThrownBy(() -> ArchiveLocation.parse("s3:///prefix"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> ArchiveLocation.parse("file:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file:DIR");
    }

    @Test
    void passesOnlyTheGivenS3SettingsToFlink() {
        Map<String, String> defaults = ArchiveFileSystem.s3Settings(ConfigLoader.defaults().archive().s3());
        Map<String, String> given = ArchiveFileSystem.s3Settings(ConfigLoader.load(null, Map.of(
                        "archive.s3.endpoint", "http://127.0.0.1:9000",
                        "archive.s3.path-style-access", "true",
                        "archive.s3.region", "us-east-1",
                        "archive.s3.access-key", "id",
                        "archive.s3.secret-key", "secret"))
                .archive()
                .s3());

        assertThat(defaults).containsOnly(
                Map.entry("s3.path.style.access", "false"), Map.entry("s3.directory.marker.retention", "keep"));
        assertThat(given).containsOnly(
                Map.entry("s3.directory.marker.retention", "keep"),
                Map.entry("s3.endpoint", "http://127.0.0.1:9000"),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("s3.endpoint.region", "us-east-1"),
                Map.entry("s3.access-key", "id"),
                Map.entry("s3.secret-key", "secret"));
    }
}
