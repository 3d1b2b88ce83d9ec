package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark on a tiny input, so that it cannot rot: it must complete and write every row of its table.
 * No figure is asserted: on a tiny input, on a shared CI machine, they mean nothing.
 */
class BenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void runsEveryMeasurementAndWritesTheTable() throws Exception {
        Path out = dir.resolve("BENCHMARKS.md");
        Path notes = dir.resolve("NOTES.md");
        Files.writeString(notes, "## Notes\n\nkept verbatim\n");

        List<Figure> figures =
                Benchmark.run(BenchSettings.smoke(dir.resolve("work")), out, notes, "bench/run.sh --smoke", System.out);

        assertThat(figures).extracting(Figure::section).containsAll(Benchmark.SECTIONS);
        assertThat(figures).allSatisfy(figure -> assertThat(figure.value()).isNotBlank());
        String written = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(written).contains("bench/run.sh --smoke", "cores", "max heap", "kept verbatim");
        for (Figure figure : figures) {
            assertThat(written).contains("| " + figure.section() + " | " + figure.measure() + " | " + figure.value());
        }
    }
}
