package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaThroughputTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSawToothAroundALevelIsFlat() {
        List<long[]> lag = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // progress reports every 2 s: the read count jumps, the lag drops back
            lag.add(new long[] {i * 5 * SECOND, 20_000 + (i % 2 == 0 ? 15_000 : 0)});
        }
        assertThat(KafkaThroughput.lagGrowth(lag)).isCloseTo(0, within(300.0));
    }

    @Test
    void aLagThatGrowsIsMeasuredInMessagesPerSecond() {
        List<long[]> lag = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lag.add(new long[] {i * 5 * SECOND, 1_000 + i * 5 * 400});
        }
        assertThat(KafkaThroughput.lagGrowth(lag)).isCloseTo(400, within(1.0));
    }
}
