package dev.mplp.trace.sinks.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.junit.jupiter.api.Test;

/** When the archive sink compacts a partition's part files. */
class ArchiveCompactionStrategyTest {

    private static final long MAX_PART_BYTES = 128L * 1024 * 1024;

    @Test
    void anHourAtTenSecondCheckpointsIsThreeHundredSixtyCheckpoints() {
        FileCompactStrategy strategy =
                ArchiveSinks.compactStrategy(Duration.ofHours(1), MAX_PART_BYTES, Duration.ofSeconds(10));

        assertThat(strategy.getNumCheckpointsBeforeCompaction()).isEqualTo(360);
        assertThat(strategy.getSizeThreshold()).isEqualTo(MAX_PART_BYTES);
    }

    @Test
    void anIntervalShorterThanACheckpointCompactsOnEveryCheckpoint() {
        assertThat(ArchiveSinks.checkpointsIn(Duration.ofSeconds(5), Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(ArchiveSinks.checkpointsIn(Duration.ofSeconds(25), Duration.ofSeconds(10))).isEqualTo(2);
    }

    @Test
    void withoutCheckpointsOnlyTheSizeAndTheEndOfTheInputCompact() {
        FileCompactStrategy strategy = ArchiveSinks.compactStrategy(Duration.ofHours(1), MAX_PART_BYTES, null);

        assertThat(strategy.getNumCheckpointsBeforeCompaction()).isNegative();
        assertThat(strategy.getSizeThreshold()).isEqualTo(MAX_PART_BYTES);
    }
}
