package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes the messages of a reprocessing run through unchanged and reports which of the listed files are done, as
 * the indexes (into the listing) of the accumulator {@link #FILES_DONE}, from which the client counts files and
 * partitions done. Chained to the file source, it sees each file's records in order on the one subtask that reads
 * the whole file (the formats are not splittable): a file is done when its footer's row count has gone by, or when
 * the subtask moves on to another file (JSON lines, whose lines are not counted ahead).
 */
public class ReadProgress extends RichMapFunction<RawMessage, RawMessage> {

    public static final String FILES_DONE = "reprocess.files-done";

    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> indexByPath = new HashMap<>();
    private final List<Long> rowsByIndex = new ArrayList<>();

    private transient ListAccumulator<Integer> filesDone;
    private transient Set<Integer> reported;
    private transient Map<Integer, Long> seen;
    private transient Integer current;

    public ReadProgress(List<ArchivedFile> files) {
        for (ArchivedFile file : files) {
            indexByPath.put(file.path(), rowsByIndex.size());
            rowsByIndex.add(file.rows());
        }
    }

    @Override
    public void open(OpenContext context) {
        filesDone = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(FILES_DONE, filesDone);
        reported = new HashSet<>();
        seen = new HashMap<>();
    }

    @Override
    public RawMessage map(RawMessage message) {
        Integer file = indexByPath.get(fileOf(message.sourcePosition));
        if (file == null) {
            return message;
        }
        if (!file.equals(current)) {
            if (current != null) {
                done(current);
            }
            current = file;
        }
        long rows = seen.merge(file, 1L, Long::sum);
        if (rows == rowsByIndex.get(file)) {
            done(file);
        }
        return message;
    }

    @Override
    public void close() {
        if (current != null) {
            done(current);
        }
    }

    private void done(int file) {
        if (reported.add(file)) {
            filesDone.add(file);
        }
    }

    /**
     * The file of a message's position: {@code parquet:FILE#ROW} ({@link ParquetPayloadFormat}) or {@code FILE:LINE}
     * ({@link JsonLinesFormat}); null for any other.
     */
    static String fileOf(String position) {
        if (position == null) {
            return null;
        }
        if (position.startsWith(ParquetPayloadFormat.POSITION_PREFIX)) {
            int hash = position.lastIndexOf('#');
            return hash < 0 ? null : position.substring(ParquetPayloadFormat.POSITION_PREFIX.length(), hash);
        }
        int colon = position.lastIndexOf(':');
        return colon < 0 ? null : position.substring(0, colon);
    }
}
