package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark on a tiny input, so that it cannot rot: it must complete and write every row of its table.
 * No figure is asserted: on a tiny input, on a shared CI machine, they mean nothing. What is asserted is that the
 * peers of row 7 (Flink SQL, Esper) found exactly the alerts ours found.
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
        assertThat(figures).filteredOn(figure -> figure.measure().startsWith("the slowest single record"))
                .singleElement().satisfies(figure -> {
                    assertThat(figure.value()).matches("[0-9,]+\\.[0-9] ms");
                    assertThat(figure.note()).contains("hostile records of issue 15");
                });
        // row 2: the live run through a real broker, the same traffic as files, and the CPU of the source's chain
        assertThat(figures).extracting(Figure::measure)
                .anyMatch(m -> m.startsWith("sustainable rate through Kafka (4 partitions)"))
                .anyMatch(m -> m.startsWith("the same, draining a preloaded backlog"))
                .anyMatch(m -> m.equals("the same traffic as 1 file, while reading"))
                .anyMatch(m -> m.equals("the same traffic as 4 files, while reading"))
                .anyMatch(m -> m.equals("ratio to the 2-thread Jackson ceiling"))
                .anyMatch(m -> m.equals("CPU per message the ratio's target leaves on this machine"))
                .anyMatch(m -> m.startsWith("CPU per message: the Kafka broker"))
                .anyMatch(m -> m.startsWith("Jackson `readTree` of the corpus, 2 threads"));
        String written = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(written).contains("bench/run.sh --smoke", "cores", "max heap", "kept verbatim");
        for (Figure figure : figures) {
            assertThat(written).contains("| " + figure.section() + " | " + figure.measure() + " | " + figure.value());
        }

        // row 7: the peers found the same alerts as ours, and there were alerts of both rules to agree on
        List<Figure> peers = figures.stream().filter(f -> f.section().equals("7 peers")).toList();
        assertThat(peers).extracting(Figure::measure).anyMatch(m -> m.startsWith("ours"))
                .anyMatch(m -> m.startsWith(PeerFlinkSql.ENGINE)).anyMatch(m -> m.startsWith(PeerEsper.ENGINE));
        Matcher found = Pattern.compile("found ([\\d,]+) sustained_breach and ([\\d,]+) incomplete_span")
                .matcher(peers.get(0).note());
        assertThat(found.find()).as(peers.get(0).note()).isTrue();
        assertThat(Integer.parseInt(found.group(1).replace(",", ""))).isPositive();
        assertThat(Integer.parseInt(found.group(2).replace(",", ""))).isPositive();
        List<Figure> others = peers.stream().filter(f -> f.measure().startsWith(PeerFlinkSql.ENGINE)
                || f.measure().startsWith(PeerEsper.ENGINE)).toList();
        assertThat(others).hasSize(2).allSatisfy(peer -> assertThat(peer.note()).contains("agrees with ours on all"));
        // and the floor under ours (the same job doing nothing), set against ours' time
        Figure floor = peers.stream().filter(f -> f.measure().equals(PeerFloor.ENGINE)).findFirst().orElseThrow();
        Matcher times = Pattern.compile("ours' time is ([\\d.]+) × the floor's").matcher(floor.note());
        assertThat(times.find()).as(floor.note()).isTrue();
        assertThat(Double.parseDouble(times.group(1))).isPositive();
    }

    @Test
    void rowsBringTheRowsTheyNeed() {
        assertThat(Benchmark.withPrerequisites(Set.of(3))).containsExactly(1, 2, 3);
        assertThat(Benchmark.withPrerequisites(Set.of(6, 7))).containsExactly(6, 7);
        assertThat(Benchmark.withPrerequisites(Set.of(4))).containsExactly(4);
    }
}
