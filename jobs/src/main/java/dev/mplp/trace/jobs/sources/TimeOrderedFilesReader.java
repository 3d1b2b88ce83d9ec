package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * A subtask's reader of {@link TimeOrderedFiles}: one fetcher thread merges the subtask's files
 * ({@link TimeMergingSplitReader}); each record emitted moves its file's checkpointed position past it, as the file
 * source's reader does.
 */
final class TimeOrderedFilesReader extends SingleThreadMultiplexSourceReaderBase<
        RecordAndPosition<RawMessage>, RawMessage, FileSourceSplit, FileSourceSplitState<FileSourceSplit>> {

    TimeOrderedFilesReader(SourceReaderContext context, BulkFormat<RawMessage, FileSourceSplit> format,
            Configuration config) {
        super(() -> new TimeMergingSplitReader(config, format),
                (element, output, split) -> {
                    output.collect(element.getRecord());
                    split.setPosition(element.getOffset(), element.getRecordSkipCount());
                },
                config, context);
    }

    @Override
    public void start() {
        // the enumerator gives this reader all its files when it registers: nothing to ask for
    }

    @Override
    protected void onSplitFinished(Map<String, FileSourceSplitState<FileSourceSplit>> finished) {}

    @Override
    protected FileSourceSplitState<FileSourceSplit> initializedState(FileSourceSplit split) {
        return new FileSourceSplitState<>(split);
    }

    @Override
    protected FileSourceSplit toSplitType(String splitId, FileSourceSplitState<FileSourceSplit> state) {
        return state.toFileSourceSplit();
    }
}
