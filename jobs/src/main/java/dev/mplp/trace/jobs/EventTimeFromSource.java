package dev.mplp.trace.jobs;

import dev.mplp.trace.ingest.RawRecordWatermarks;
import dev.mplp.trace.jobs.metrics.EventTimeLag;
import dev.mplp.trace.records.TraceEvent;
import java.util.function.LongConsumer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Event time after validation when the source put it on each split ({@link RawRecordWatermarks}): every accepted
 * message gets its own event time as its timestamp (the windows read it; the source's is its record's, and an OTLP
 * request's spans each have their own), and the source's watermarks pass on unchanged, measured by the
 * {@code event_time_lag_seconds} gauge as the other path's are.
 */
final class EventTimeFromSource extends AbstractStreamOperator<TraceEvent>
        implements OneInputStreamOperator<TraceEvent, TraceEvent> {

    private transient LongConsumer lag;

    @Override
    public void open() throws Exception {
        super.open();
        lag = EventTimeLag.gauge(getMetricGroup());
    }

    @Override
    public void processElement(StreamRecord<TraceEvent> element) {
        output.collect(element.replace(element.getValue(), element.getValue().eventTime));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        lag.accept(mark.getTimestamp());
        super.processWatermark(mark);
    }
}
