package dev.mplp.trace.jobs.sources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;

/**
 * Gives each reader all its files when it registers, then tells it there are no more: the {@code i}th split of the
 * pending ones (by path, then offset) belongs to reader {@code i} mod parallelism, and a split a failed reader gives
 * back goes to that reader again when it registers anew. Readers never ask for splits.
 */
final class FilesPerReader implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {

    static final Comparator<FileSourceSplit> FILE_ORDER =
            Comparator.comparing((FileSourceSplit split) -> split.path().toString()).thenComparingLong(
                    FileSourceSplit::offset);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    /** Not yet assigned, by the reader they belong to. */
    private final Map<Integer, List<FileSourceSplit>> pendingByReader = new HashMap<>();

    FilesPerReader(SplitEnumeratorContext<FileSourceSplit> context, Collection<FileSourceSplit> pending) {
        this.context = context;
        List<FileSourceSplit> inFileOrder = new ArrayList<>(pending);
        inFileOrder.sort(FILE_ORDER);
        int parallelism = context.currentParallelism();
        for (int i = 0; i < inFileOrder.size(); i++) {
            pendingByReader.computeIfAbsent(i % parallelism, reader -> new ArrayList<>()).add(inFileOrder.get(i));
        }
    }

    @Override
    public void start() {}

    @Override
    public void addReader(int subtaskId) {
        List<FileSourceSplit> splits = pendingByReader.remove(subtaskId);
        if (splits != null && !splits.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, splits)));
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        pendingByReader.computeIfAbsent(subtaskId, reader -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // a reader is given all its splits when it registers; it never asks
    }

    @Override
    public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
        List<FileSourceSplit> splits = new ArrayList<>();
        pendingByReader.values().forEach(splits::addAll);
        return PendingSplitsCheckpoint.fromCollectionSnapshot(splits);
    }

    @Override
    public void close() {}
}
