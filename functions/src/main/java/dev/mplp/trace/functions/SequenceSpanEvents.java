package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by span ({@link #key}): passes each span's messages on in event-time order, with the service and operation
 * of the span's start filled in on the messages that do not carry them (updates, metrics, completion), and sets
 * aside the messages that arrive too late to be put in order.
 *
 * <p><b>Why.</b> Messages of one span reach the keyed detectors through several parallel upstream subtasks, so
 * their arrival order varies from run to run; a detector that evaluated them in arrival order would find different
 * incidents on a replay. Holding each message until the watermark passes its event time and releasing in event-time
 * order makes every downstream function keyed by the same span see the same sequence on every run (Flink keeps the
 * order of records between one upstream and one downstream subtask). The cost is latency: results trail event time
 * by {@code event-time.max-out-of-orderness}.
 *
 * <p><b>Order.</b> By event time; messages with the same event time in protocol order (start, update, metrics,
 * completion), then by {@code message_id}.
 *
 * <p><b>Late messages.</b> A message whose event time the watermark has already passed can no longer be put in
 * order: it stays accepted (it is in the pipeline's accepted stream, hence archived) but is left out of detection:
 * it goes to {@link #LATE} and is counted in the {@code lateMessages} metric and the {@link IngestCounts#LATE}
 * accumulator of the run summary.
 *
 * <p><b>State.</b> The messages waiting for the watermark, and the span's names once its start is released. The
 * names are kept for {@code detection.span.allowed-lateness} after the completion (for metrics messages that follow
 * it), or until the span has sent nothing for {@code detection.span.inactivity-timeout}; then everything is cleared.
 */
public class SequenceSpanEvents extends KeyedProcessFunction<String, TraceEvent, TraceEvent> {

    /** Accepted messages left out of detection because they arrived behind the watermark. */
    public static final OutputTag<TraceEvent> LATE = new OutputTag<>("late-messages") {};

    private static final Comparator<TraceEvent> SAME_TIME_ORDER = Comparator.<TraceEvent>comparingInt(
                    e -> e.messageType == null ? Integer.MAX_VALUE : protocolOrder(e.messageType))
            .thenComparing(e -> e.messageId, Comparator.nullsLast(Comparator.naturalOrder()));

    private final long allowedLatenessMillis;
    private final long inactivityTimeoutMillis;

    /** Messages waiting for the watermark, by event time. */
    private transient MapState<Long, List<TraceEvent>> waiting;
    /** The span's service and operation once its start has been released; null before. */
    private transient ValueState<SpanNames> names;
    /** The latest event time of the span's messages, epoch ms. */
    private transient ValueState<Long> lastSeen;
    /** Event time of the released completion; null until then. */
    private transient ValueState<Long> completedAt;

    private transient Counter lateMessages;
    private transient LongCounter lateCount;

    public SequenceSpanEvents(TraceAnalyticsConfig.SpanLifetime span) {
        this.allowedLatenessMillis = span.allowedLateness().toMillis();
        this.inactivityTimeoutMillis = span.inactivityTimeout().toMillis();
    }

    /** The key this function expects: {@code trace_id/span_id}. */
    public static String key(TraceEvent event) {
        return event.traceId + "/" + event.spanId;
    }

    /**
     * What this function released, or a stream forwarded from it at the same parallelism (filtered, or with
     * thresholds joined in, the ids untouched), as the stream keyed by span that it still is. Every span's messages
     * are already on the subtask that owns the span's key group, so the per-span functions downstream read them in
     * the same task, chained, instead of each shuffling every message again (serialized, sent, deserialized: four
     * times per message before). Flink refuses a timer or state access for a key whose key group is not the
     * subtask's, so a stream partitioned otherwise fails rather than mixing state.
     */
    public static KeyedStream<TraceEvent, String> keyedAsReleased(DataStream<TraceEvent> released) {
        return DataStreamUtils.reinterpretAsKeyedStream(released, SequenceSpanEvents::key, Types.STRING);
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "waiting", Types.LONG, Types.LIST(TypeInformation.of(TraceEvent.class))));
        names = getRuntimeContext().getState(new ValueStateDescriptor<>("names", SpanNames.class));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        completedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("completed-at", Types.LONG));
        lateMessages = getRuntimeContext().getMetricGroup().counter("lateMessages");
        lateCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.LATE, lateCount);
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<TraceEvent> out) throws Exception {
        if (event.eventTime <= ctx.timerService().currentWatermark()) {
            lateMessages.inc();
            lateCount.add(1);
            ctx.output(LATE, event);
            return;
        }
        List<TraceEvent> atTime = waiting.get(event.eventTime);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(event.eventTime);
        }
        atTime.add(event);
        waiting.put(event.eventTime, atTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TraceEvent> out) throws Exception {
        List<TraceEvent> due = waiting.get(timestamp);
        if (due != null) {
            waiting.remove(timestamp);
            due.sort(SAME_TIME_ORDER);
            for (TraceEvent event : due) {
                release(event, ctx, out);
            }
        }
        if (waiting.isEmpty() && isOver(timestamp)) {
            forget(ctx);
        }
    }

    private void release(TraceEvent event, OnTimerContext ctx, Collector<TraceEvent> out) throws Exception {
        if (event.messageType == MessageType.START) {
            names.update(SpanNames.of(event));
        } else {
            SpanNames known = names.value();
            if (known != null) {
                if (event.serviceName == null) {
                    event.serviceName = known.serviceName;
                }
                if (event.operationName == null) {
                    event.operationName = known.operationName;
                }
            }
        }
        Long last = lastSeen.value();
        if (last == null || event.eventTime > last) {
            if (last != null) {
                deleteTimer(last + inactivityTimeoutMillis, ctx);
            }
            lastSeen.update(event.eventTime);
            ctx.timerService().registerEventTimeTimer(event.eventTime + inactivityTimeoutMillis);
        }
        if (event.messageType == MessageType.COMPLETE && completedAt.value() == null) {
            completedAt.update(event.eventTime);
            ctx.timerService().registerEventTimeTimer(event.eventTime + allowedLatenessMillis);
        }
        out.collect(event);
    }

    /** Clears the span's state and its pending clean-up timers. */
    private void forget(OnTimerContext ctx) throws Exception {
        Long last = lastSeen.value();
        if (last != null) {
            deleteTimer(last + inactivityTimeoutMillis, ctx);
        }
        Long completed = completedAt.value();
        if (completed != null) {
            deleteTimer(completed + allowedLatenessMillis, ctx);
        }
        names.clear();
        lastSeen.clear();
        completedAt.clear();
    }

    /** Deletes a clean-up timer unless messages wait for the same instant (their release shares the timer). */
    private void deleteTimer(long time, OnTimerContext ctx) throws Exception {
        if (time != ctx.timestamp() && !waiting.contains(time)) {
            ctx.timerService().deleteEventTimeTimer(time);
        }
    }

    /** True once the span is done with: completed and past the allowed lateness, or silent for the timeout. */
    private boolean isOver(long now) throws Exception {
        Long completed = completedAt.value();
        if (completed != null && now >= completed + allowedLatenessMillis) {
            return true;
        }
        Long last = lastSeen.value();
        return last == null || now >= last + inactivityTimeoutMillis;
    }

    /** Start, update, metrics, completion: the order of a span's messages at the same event time. */
    public static int protocolOrder(MessageType type) {
        return switch (type) {
            case START -> 0;
            case UPDATE -> 1;
            case METRICS -> 2;
            case COMPLETE -> 3;
        };
    }

    /** What the sequencer keeps of a span's start. A Flink POJO. */
    public static class SpanNames {
        public String serviceName;
        public String operationName;

        public SpanNames() {}

        static SpanNames of(TraceEvent start) {
            SpanNames names = new SpanNames();
            names.serviceName = start.serviceName;
            names.operationName = start.operationName;
            return names;
        }
    }
}
