package dev.mplp.trace.functions;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.mplp.trace.ingest.IngestCounts;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by {@code message_id}: passes the first message with an id and dead-letters every other one seen within
 * the duplicate window of event time after it. The window is measured in event time so that replaying an archive
 * finds the same duplicates as the live run did; an event-time timer forgets each id when its window has passed.
 */
public class DeduplicateMessages extends KeyedProcessFunction<String, TraceEvent, TraceEvent> {

    public static final OutputTag<DeadLetter> DUPLICATES = new OutputTag<>("duplicates") {};

    private final long windowMillis;
    private final int deadLetterPayloadBytes;

    /** Where the accepted copy came from, for the dead letter's detail; null when the id is not (or no more) known. */
    private transient ValueState<String> firstSeenAt;

    private transient Counter duplicates;
    private transient LongCounter acceptedCount;
    private transient LongCounter duplicateCount;

    public DeduplicateMessages(Duration window, int deadLetterPayloadBytes) {
        this.windowMillis = window.toMillis();
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        firstSeenAt = getRuntimeContext().getState(new ValueStateDescriptor<>("first-seen-at", String.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        acceptedCount = new LongCounter();
        duplicateCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.ACCEPTED, acceptedCount);
        getRuntimeContext().addAccumulator(IngestCounts.deadLetters(DeadLetterReason.DUPLICATE), duplicateCount);
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<TraceEvent> out) throws Exception {
        String first = firstSeenAt.value();
        if (first == null) {
            firstSeenAt.update(event.sourcePosition == null ? "" : event.sourcePosition);
            ctx.timerService().registerEventTimeTimer(event.eventTime + windowMillis);
            acceptedCount.add(1);
            out.collect(event);
            return;
        }
        duplicates.inc();
        duplicateCount.add(1);
        ctx.output(DUPLICATES, duplicateOf(event, first));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TraceEvent> out) {
        firstSeenAt.clear();
    }

    private DeadLetter duplicateOf(TraceEvent event, String firstSeenAt) {
        byte[] bytes = event.payload;
        boolean cut = bytes.length > deadLetterPayloadBytes;
        String raw = new String(bytes, 0, cut ? deadLetterPayloadBytes : bytes.length, StandardCharsets.UTF_8);
        return new DeadLetter(
                DeadLetterReason.DUPLICATE,
                "message_id already accepted" + (firstSeenAt.isEmpty() ? "" : " from " + firstSeenAt),
                event.messageId,
                event.sourcePosition,
                event.ingestTime,
                raw,
                bytes.length,
                cut);
    }
}
