package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by span ({@link SequenceSpanEvents#key}), over the span's messages in event-time order (the output of
 * {@link SequenceSpanEvents}): joins the start, the updates, the metrics and the completion of each span and emits
 * one {@link CompletedSpan} when the completion arrives.
 *
 * <p>A completion without a seen start still gives a record (service and operation null, the start time the first
 * message's), so the archive loses no span; the RED windows skip those. After the completion the span keeps only its
 * completion time until the watermark passes it plus {@code detection.span.allowed-lateness}: messages of the span
 * in that time are ignored (counted in {@code messagesAfterSpanCompletion}). A span that sends nothing for {@code
 * detection.span.inactivity-timeout} and never completes is dropped (counted in {@code spansExpired}; the {@code
 * incomplete_span} pattern is what reports it).
 *
 * <p>Event-time timers do the clean-up, so a replay clears state at the same points. A processing-time state TTL of
 * twice the inactivity timeout backs them up, for a key whose watermark stops advancing.
 */
public class SpanLifecycle extends KeyedProcessFunction<String, TraceEvent, CompletedSpan> {

    private final long allowedLatenessMillis;
    private final long inactivityTimeoutMillis;

    /** The span so far; null before its first message and after its completion. */
    private transient ValueState<SpanProgress> progress;
    /** The completion's event time, once completed. */
    private transient ValueState<Long> completedAt;

    private transient Counter spansCompleted;
    private transient Counter spansExpired;
    private transient Counter afterCompletion;

    public SpanLifecycle(TraceAnalyticsConfig.SpanLifetime span) {
        this.allowedLatenessMillis = span.allowedLateness().toMillis();
        this.inactivityTimeoutMillis = span.inactivityTimeout().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(2 * inactivityTimeoutMillis)).build();
        ValueStateDescriptor<SpanProgress> progressDescriptor =
                new ValueStateDescriptor<>("span-progress", SpanProgress.class);
        progressDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<Long> completedDescriptor = new ValueStateDescriptor<>("completed-at", Types.LONG);
        completedDescriptor.enableTimeToLive(ttl);
        progress = getRuntimeContext().getState(progressDescriptor);
        completedAt = getRuntimeContext().getState(completedDescriptor);
        spansCompleted = getRuntimeContext().getMetricGroup().counter("spansCompleted");
        spansExpired = getRuntimeContext().getMetricGroup().counter("spansExpired");
        afterCompletion = getRuntimeContext().getMetricGroup().counter("messagesAfterSpanCompletion");
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<CompletedSpan> out) throws Exception {
        if (completedAt.value() != null) {
            afterCompletion.inc();
            return;
        }
        SpanProgress span = progress.value();
        if (span == null) {
            span = SpanProgress.firstSeen(event);
        } else if (event.eventTime > span.lastSeen) {
            ctx.timerService().deleteEventTimeTimer(span.lastSeen + inactivityTimeoutMillis);
        }
        span.add(event);
        if (event.messageType == MessageType.COMPLETE) {
            ctx.timerService().deleteEventTimeTimer(span.lastSeen + inactivityTimeoutMillis);
            out.collect(span.completedBy(event));
            spansCompleted.inc();
            progress.clear();
            completedAt.update(event.eventTime);
            ctx.timerService().registerEventTimeTimer(event.eventTime + allowedLatenessMillis);
            return;
        }
        ctx.timerService().registerEventTimeTimer(span.lastSeen + inactivityTimeoutMillis);
        progress.update(span);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CompletedSpan> out) throws Exception {
        Long completed = completedAt.value();
        if (completed != null) {
            if (timestamp >= completed + allowedLatenessMillis) {
                completedAt.clear();
            }
            return;
        }
        SpanProgress span = progress.value();
        if (span != null && timestamp >= span.lastSeen + inactivityTimeoutMillis) {
            spansExpired.inc();
            progress.clear();
        }
    }

    /** A span being joined. A Flink POJO. */
    public static class SpanProgress {
        public String traceId;
        public String spanId;
        public String parentSpanId;
        public String serviceName;
        public String operationName;
        public String spanKind;
        public Thresholds thresholds;
        public String attributes;
        public String resourceAttributes;
        public String traceState;
        /** The start's event time; null until the start is seen. */
        public Long startTime;
        public long firstSeen;
        public long lastSeen;
        public long errorCount;
        public int messageCount;

        public SpanProgress() {}

        static SpanProgress firstSeen(TraceEvent event) {
            SpanProgress span = new SpanProgress();
            span.traceId = event.traceId;
            span.spanId = event.spanId;
            span.firstSeen = event.eventTime;
            span.lastSeen = event.eventTime;
            return span;
        }

        void add(TraceEvent event) {
            messageCount++;
            lastSeen = Math.max(lastSeen, event.eventTime);
            if (event.messageType == MessageType.START) {
                startTime = event.eventTime;
                parentSpanId = event.parentSpanId;
                spanKind = event.spanKind;
                thresholds = event.thresholds;
                attributes = event.attributes;
                resourceAttributes = event.resourceAttributes;
                traceState = event.traceState;
            }
            if (serviceName == null) {
                serviceName = event.serviceName;
            }
            if (operationName == null) {
                operationName = event.operationName;
            }
            if (event.measurements != null && event.measurements.errorCount != null) {
                errorCount += event.measurements.errorCount;
            }
        }

        CompletedSpan completedBy(TraceEvent completion) {
            CompletedSpan done = new CompletedSpan();
            done.traceId = traceId;
            done.spanId = spanId;
            done.parentSpanId = parentSpanId;
            done.serviceName = serviceName;
            done.operationName = operationName;
            done.spanKind = spanKind;
            done.thresholds = thresholds;
            done.attributes = attributes;
            done.resourceAttributes = resourceAttributes;
            done.traceState = traceState;
            done.statusMessage = completion.statusMessage;
            done.events = completion.events;
            done.links = completion.links;
            done.startTime = startTime != null ? startTime : firstSeen;
            done.endTime = completion.eventTime;
            Double reported = completion.measurements == null ? null : completion.measurements.durationMs;
            done.durationMs = reported != null ? reported : (double) (done.endTime - done.startTime);
            done.statusCode = completion.statusCode;
            done.success = completion.success;
            done.error = "error".equals(completion.statusCode) || Boolean.FALSE.equals(completion.success);
            done.errorCount = errorCount;
            done.messageCount = messageCount;
            return done;
        }
    }
}
