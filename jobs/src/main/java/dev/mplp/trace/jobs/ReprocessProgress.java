package dev.mplp.trace.jobs;

import dev.mplp.trace.jobs.sources.ArchivedFile;
import dev.mplp.trace.jobs.sources.ReadProgress;
import dev.mplp.trace.jobs.sources.ReprocessInputs;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The progress of a reprocessing run against the totals its listing knows: partitions, files and records done
 * (records of a Parquet archive from its footers; JSON lines are not counted ahead, so only records read).
 */
final class ReprocessProgress {

    private final ReprocessInputs.Plan plan;
    private final Map<String, Integer> filesByPartition = new LinkedHashMap<>();
    private final long totalRecords;
    /** Files with no rows: nothing will be read from them, so they are done from the start. */
    private final Set<Integer> emptyFiles = new HashSet<>();

    ReprocessProgress(ReprocessInputs.Plan plan) {
        this.plan = plan;
        long rows = 0;
        List<ArchivedFile> files = plan.files();
        for (int i = 0; i < files.size(); i++) {
            ArchivedFile file = files.get(i);
            if (file.partition() != null) {
                filesByPartition.merge(file.partition(), 1, Integer::sum);
            }
            rows = file.rows() < 0 || rows < 0 ? -1 : rows + file.rows();
            if (file.rows() == 0) {
                emptyFiles.add(i);
            }
        }
        this.totalRecords = files.isEmpty() ? -1 : rows;
    }

    /** Records the run will read, from the Parquet footers; -1 when not known ahead (JSON lines). */
    long totalRecords() {
        return totalRecords;
    }

    /** What the run reads, before it starts. */
    String plannedLine() {
        StringBuilder line = new StringBuilder(plan.kind().label()).append(": ");
        if (!filesByPartition.isEmpty()) {
            line.append(String.format("%,d partitions (%s), ", filesByPartition.size(),
                    String.join(", ", filesByPartition.keySet())));
        }
        line.append(plan.files().isEmpty()
                ? "read to the end it has now"
                : String.format("%,d file%s", plan.files().size(), plan.files().size() == 1 ? "" : "s"));
        if (totalRecords >= 0) {
            line.append(String.format(", %,d records", totalRecords));
        }
        return line.toString();
    }

    /** Partitions, files and records done of the totals, then the run's own counts. */
    String line(Map<String, Object> accumulators) {
        RunSummary sofar = RunSummary.fromAccumulators(accumulators);
        Set<Integer> done = doneFiles(accumulators);
        StringBuilder line = new StringBuilder();
        if (!filesByPartition.isEmpty()) {
            line.append(String.format("partitions %,d/%,d · ", partitionsDone(done), filesByPartition.size()));
        }
        if (!plan.files().isEmpty()) {
            line.append(String.format("files %,d/%,d · ", done.size(), plan.files().size()));
        }
        line.append(totalRecords >= 0
                ? String.format("records %,d/%,d · ", sofar.read(), totalRecords)
                : String.format("records %,d · ", sofar.read()));
        return line.append(sofar.progressLine()).toString();
    }

    /** The indexes of the files done: those the accumulator names, and the empty ones. */
    private Set<Integer> doneFiles(Map<String, Object> accumulators) {
        Set<Integer> done = new HashSet<>(emptyFiles);
        if (accumulators.get(ReadProgress.FILES_DONE) instanceof Collection<?> indexes) {
            indexes.forEach(index -> done.add(((Number) index).intValue()));
        }
        return done;
    }

    private int partitionsDone(Set<Integer> doneFiles) {
        Map<String, Integer> remaining = new LinkedHashMap<>(filesByPartition);
        for (int index : doneFiles) {
            String partition = plan.files().get(index).partition();
            if (partition != null) {
                remaining.merge(partition, -1, Integer::sum);
            }
        }
        return (int) remaining.values().stream().filter(left -> left == 0).count();
    }
}
