package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachLineHasTheRateAndWithATotalTheTimeLeft() {
        ProgressLines lines = new ProgressLines(0, 10_000);

        assertThat(lines.next("read 2,000", 2_000, 4 * SECOND)).isEqualTo("read 2,000 · 500 msg/s · about 16s left");
        assertThat(lines.next("read 10,000", 10_000, 20 * SECOND)).isEqualTo("read 10,000 · 500 msg/s");
    }

    @Test
    void aLineThatSaysNothingNewIsNotRepeated() {
        ProgressLines lines = new ProgressLines(0, -1);

        assertThat(lines.next("read 5", 5, SECOND)).isEqualTo("read 5 · 5 msg/s");
        assertThat(lines.next("read 5", 5, 2 * SECOND)).isNull();
        assertThat(lines.next("read 6", 6, 3 * SECOND)).isEqualTo("read 6 · 2 msg/s");
    }
}
