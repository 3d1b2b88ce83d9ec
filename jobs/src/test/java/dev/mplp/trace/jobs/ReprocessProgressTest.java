package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.jobs.sources.ArchivedFile;
import dev.mplp.trace.jobs.sources.ReadProgress;
import dev.mplp.trace.jobs.sources.ReprocessInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progress against the listing's totals: a partition is done when all its files are, an empty file from the start. */
class ReprocessProgressTest {

    private static final String TEN = "dt=2025-09-03/hour=10";
    private static final String ELEVEN = "dt=2025-09-03/hour=11";

    private final ReprocessProgress progress = new ReprocessProgress(new ReprocessInputs.Plan(
            ReprocessInputs.Kind.PARQUET_ARCHIVE,
            List.of(
                    new ArchivedFile("file:/a/messages/" + TEN + "/part-0.parquet", TEN, 100, 40),
                    new ArchivedFile("file:/a/messages/" + TEN + "/part-1.parquet", TEN, 100, 60),
                    new ArchivedFile("file:/a/messages/" + ELEVEN + "/part-0.parquet", ELEVEN, 100, 25),
                    new ArchivedFile("file:/a/messages/" + ELEVEN + "/part-1.parquet", ELEVEN, 10, 0)),
            null));

    @Test
    void plansWithTheTotalsOfTheFooters() {
        assertThat(progress.plannedLine())
                .isEqualTo("Parquet archive: 2 partitions (" + TEN + ", " + ELEVEN + "), 4 files, 125 records");
    }

    @Test
    void countsAPartitionDoneOnlyWhenAllItsFilesAre() {
        assertThat(progress.line(accumulators(40, 0)))
                .startsWith("partitions 0/2 · files 2/4 · records 40/125 · read 40 ·");
        assertThat(progress.line(accumulators(65, 0, 2)))
                .startsWith("partitions 1/2 · files 3/4 · records 65/125 · ");
        assertThat(progress.line(accumulators(125, 0, 2, 1)))
                .startsWith("partitions 2/2 · files 4/4 · records 125/125 · ");
    }

    private static Map<String, Object> accumulators(long read, Integer... filesDone) {
        return Map.of(IngestCounts.READ, read, ReadProgress.FILES_DONE, new ArrayList<>(List.of(filesDone)));
    }
}
