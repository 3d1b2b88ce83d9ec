package dev.mplp.trace.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few of the harness's series, replayed through the streaming job on an embedded Flink with the default
 * detection settings: the done-when of issue 22 on them. (The full set is the benchmark, {@code bench/detection.sh}.)
 */
class DetectionHarnessTest {

    private static final List<Shape> SHAPES =
            List.of(Shape.HOURLY_BURSTS, Shape.SPIKE, Shape.LEVEL_SHIFT_UP, Shape.THROUGHPUT_DROP);

    @TempDir
    static Path dir;

    private static Map<Shape, SeriesScore> scores;

    @BeforeAll
    static void replay() throws Exception {
        SeriesGenerator generator = new SeriesGenerator(22);
        List<LabelledSeries> series = SHAPES.stream().map(generator::of).toList();
        Path traffic = dir.resolve("traffic.jsonl");
        SpanReplay replay = HarnessRun.writeTraffic(series, traffic, 22);
        List<SeriesScore> results = HarnessRun.run(series, replay, traffic, Map.of(), dir.resolve("run"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        scores = results.stream().collect(Collectors.toMap(SeriesScore::shape, Function.identity()));
    }

    @Test
    void hourlyBurstsAreLearnedAsNormal() {
        assertThat(scores.get(Shape.HOURLY_BURSTS).incidents()).isZero();
    }

    @Test
    void aSingleExtremeWindowIsFoundInThatWindow() {
        SeriesScore spike = scores.get(Shape.SPIKE);
        assertThat(spike.delays()).containsExactly(0);
        assertThat(spike.falsePositives()).isZero();
    }

    @Test
    void aLevelShiftIsOneIncidentThatResolvesAsTheNewNormal() {
        SeriesScore shift = scores.get(Shape.LEVEL_SHIFT_UP);
        assertThat(shift.delays()).singleElement().satisfies(delay -> assertThat(delay).isLessThanOrEqualTo(2));
        assertThat(shift.incidents()).isEqualTo(1);
        assertThat(shift.newNormals()).isEqualTo(1);
    }

    @Test
    void aThroughputDropIsFoundWithinThreeWindows() {
        SeriesScore drop = scores.get(Shape.THROUGHPUT_DROP);
        assertThat(drop.delays()).singleElement().satisfies(delay -> assertThat(delay).isLessThanOrEqualTo(2));
        assertThat(drop.falsePositives()).isZero();
    }
}
