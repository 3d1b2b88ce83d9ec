package dev.mplp.trace.ingest;

import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes the valid messages whose event time lies in a reprocessing run's range and counts the others in the
 * {@link IngestCounts#OUT_OF_RANGE} accumulator, so that the run still accounts for every record it read: an archive
 * is read by whole hour partitions, and a JSON-lines archive whole, but a run covers exactly {@code [from, to)}.
 */
public class KeepEventTimeRange extends ProcessFunction<TraceEvent, TraceEvent> {

    private final EventTimeRange range;
    private transient LongCounter outOfRange;

    public KeepEventTimeRange(EventTimeRange range) {
        this.range = range;
    }

    @Override
    public void open(OpenContext openContext) {
        outOfRange = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.OUT_OF_RANGE, outOfRange);
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<TraceEvent> out) {
        if (range.contains(event.eventTime)) {
            out.collect(event);
        } else {
            outOfRange.add(1);
        }
    }
}
