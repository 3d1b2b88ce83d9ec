package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;

/**
 * A file format that reads {@link RawMessage}s and each file whole, on one reader: positions ({@code FILE:LINE},
 * {@code parquet:FILE#ROW}) count from the start of the file, and {@link ReadProgress} sees a file's records in
 * order on one subtask.
 */
abstract class WholeFileFormat implements BulkFormat<RawMessage, FileSourceSplit> {

    @Override
    public final boolean isSplittable() {
        return false;
    }

    @Override
    public final TypeInformation<RawMessage> getProducedType() {
        return TypeInformation.of(RawMessage.class);
    }
}
