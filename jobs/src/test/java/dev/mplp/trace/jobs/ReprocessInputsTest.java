package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.jobs.sources.ArchivedFile;
import dev.mplp.trace.jobs.sources.ReprocessInputs;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code reprocess --archive} accepts, what it refuses and why, and where its output archive may go. */
class ReprocessInputsTest {

    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of());

    @TempDir
    Path dir;

    @Test
    void aDirectoryOfJsonLinesIsReadWholeSkippingHiddenFiles() throws IOException {
        Files.createDirectories(dir.resolve("raw/day-2"));
        Files.writeString(dir.resolve("raw/day-1.jsonl.gz"), "");
        Files.writeString(dir.resolve("raw/day-2/part.jsonl"), "{}");
        Files.writeString(dir.resolve("raw/.in-progress.jsonl"), "{}");
        Files.writeString(dir.resolve("raw/_SUCCESS"), "");

        ReprocessInputs.Plan plan = plan("file:" + dir.resolve("raw"));

        assertThat(plan.kind()).isEqualTo(ReprocessInputs.Kind.JSON_LINES);
        assertThat(plan.files()).extracting(ArchivedFile::path)
                .containsExactly(uri(dir.resolve("raw/day-1.jsonl.gz")), uri(dir.resolve("raw/day-2/part.jsonl")));
        assertThat(plan.files()).allSatisfy(file -> assertThat(file.rows()).isEqualTo(-1));
    }

    @Test
    void aGlobSelectsFilesByName() throws IOException {
        Files.writeString(dir.resolve("a.jsonl.gz"), "");
        Files.writeString(dir.resolve("b.jsonl"), "{}");

        assertThat(plan("file:" + dir.resolve("*.gz")).files()).extracting(ArchivedFile::path)
                .containsExactly(uri(dir.resolve("a.jsonl.gz")));
        assertThatThrownBy(() -> plan("file:" + dir.resolve("*.zst")))
                .hasMessageContaining("no file in")
                .hasMessageContaining("matches *.zst");
    }

    @Test
    void aParquetTableDirectoryIsNeitherJsonLinesNorAnArchiveRoot() throws IOException {
        Path hour = Files.createDirectories(dir.resolve("archive/spans/dt=2025-09-03/hour=10"));
        Files.writeString(hour.resolve("part-0-0.parquet"), "PAR1");

        assertThatThrownBy(() -> plan("file:" + dir.resolve("archive/spans")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds Parquet files")
                .hasMessageContaining("neither JSON lines nor a Parquet archive root");
    }

    @Test
    void aSingleParquetFileIsRefusedByItsMagicWhateverItsName() throws IOException {
        Path file = dir.resolve("export.bin");
        Files.write(file, new byte[] {'P', 'A', 'R', '1', 0, 0});

        assertThatThrownBy(() -> plan("file:" + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is one Parquet file; give the archive root");
    }

    @Test
    void nothingToReadIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> plan("file:" + dir.resolve("empty")))
                .hasMessageContaining("holds no files: neither JSON lines nor a Parquet archive root");
        assertThatThrownBy(() -> plan("file:" + dir.resolve("missing")))
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void theOutputArchiveStaysApartFromTheSourceUnlessAllowed() {
        ArchiveInput source = ArchiveInput.parse("s3://traces/archive");

        assertThatThrownBy(() -> OutputArchives.requireApartFromSource(
                        source, ArchiveLocation.parse("s3://traces/archive/"), false))
                .hasMessageContaining("is the archive that is read")
                .hasMessageContaining("--into-source-archive");
        assertThatThrownBy(() -> OutputArchives.requireApartFromSource(
                        source, ArchiveLocation.parse("s3://traces/archive/backfill"), false))
                .hasMessageContaining("is inside the archive that is read");
        assertThatThrownBy(() -> OutputArchives.requireApartFromSource(
                        ArchiveInput.parse("file:" + dir), ArchiveLocation.parse("file:" + dir.resolve("out")), false))
                .hasMessageContaining("is inside the archive that is read");
        assertThatCode(() -> OutputArchives.requireApartFromSource(
                        source, ArchiveLocation.parse("s3://traces/archive-backfill"), false))
                .doesNotThrowAnyException();
        assertThatCode(() -> OutputArchives.requireApartFromSource(
                        source, ArchiveLocation.parse("s3://traces/archive"), true))
                .doesNotThrowAnyException();
    }

    private static ReprocessInputs.Plan plan(String archive) {
        return ReprocessInputs.plan(ArchiveInput.parse(archive), EventTimeRange.ALL, CONFIG);
    }

    /** A local file as Flink's file system lists it. */
    private static String uri(Path file) {
        return new org.apache.flink.core.fs.Path(file.toUri()).toString();
    }
}
