package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void theP99IsTheSmallestValueWithAtLeast99PercentAtOrBelowIt() {
        TreeMap<Integer, Integer> histogram = new TreeMap<>();
        histogram.put(10, 50);
        histogram.put(20, 49);
        histogram.put(500, 1);

        Percentiles percentiles = Percentiles.of(histogram);

        assertThat(percentiles).isEqualTo(new Percentiles(100, 10, 20, 500));
        assertThat(percentiles.p50AndP99()).isEqualTo("10 / 20 ms");
    }

    @Test
    void oneSlowValueInFewIsTheP99() {
        TreeMap<Integer, Integer> histogram = new TreeMap<>();
        histogram.put(10, 50);
        histogram.put(900, 1);

        assertThat(Percentiles.of(histogram).p99()).isEqualTo(900);
    }

    @Test
    void noValuesSayNone() {
        assertThat(Percentiles.of(null).p99Text()).isEqualTo("none");
        assertThat(Percentiles.of(new TreeMap<>()).p50AndP99()).isEqualTo("none");
    }
}
