package dev.mplp.trace.bench;

import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Placed on the pipeline's accepted messages (after parsing, the first shuffle and deduplication): for each, how
 * long after it entered the source ({@link PacedTraffic}: its event time on the wall clock) it got there, in whole
 * milliseconds, into a histogram accumulator ({@link HistogramAtClose}).
 * What the latency run's alerts spend before the sequencing's hold.
 */
final class IngestProbe extends RichMapFunction<TraceEvent, TraceEvent> {

    static final String LATENCIES = "ingest-to-accepted-ms";

    private transient HistogramAtClose latencies;

    @Override
    public void open(OpenContext openContext) {
        latencies = new HistogramAtClose(getRuntimeContext(), LATENCIES);
    }

    @Override
    public TraceEvent map(TraceEvent event) {
        latencies.add(System.currentTimeMillis() - event.eventTime);
        return event;
    }

    @Override
    public void close() {
        latencies.handOver();
    }
}
