package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.records.types.BlockStringTypeInfo;
import dev.mplp.trace.records.types.CompactStrings;
import java.util.Comparator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by span ({@link #key}): owns each span's whole life. It puts the span's messages in event-time order, names
 * them after the span's start, joins them into one {@link CompletedSpan}, sets aside the messages that arrive too
 * late to be put in order, and forgets the span once it is over, with one housekeeping timer.
 *
 * <p><b>Why order.</b> Messages of one span reach this function through several parallel upstream subtasks, so
 * their arrival order varies from run to run; a detector that evaluated them in arrival order would find different
 * incidents on a replay. Holding each message until the watermark passes its event time and releasing in event-time
 * order makes every function downstream keyed by the same span see the same sequence on every run (Flink keeps the
 * order of records between one upstream and one downstream subtask). The cost is latency: results trail event time
 * by {@code event-time.max-out-of-orderness}. Order: by event time; at the same event time in protocol order
 * (start, update, metrics, completion), then by {@code message_id}.
 *
 * <p><b>Names.</b> A released update, metrics message or completion without service or operation gets those of the
 * span's start: the start already released, or else the start still waiting in the buffer, whatever the event-time
 * order of the two (a collector clock a few hundred ms ahead of the span's own puts metrics before their start).
 *
 * <p><b>Outputs.</b> The released messages (main output); one {@link #COMPLETED_SPANS} record per completion: ids,
 * parent, names, kind, start, end, duration (the completion's reported total, else end minus start), status, error counts and the start's
 * thresholds; a completion without a seen start still gives one (names null, start time the first message's), so
 * the archive loses no span. Messages after the completion are still released (named) but not joined (counted in
 * {@code messagesAfterSpanCompletion}). The per-span incidents, triggered and resolved, on {@link #ALERTS}:
 * {@code threshold_breach} ({@link ThresholdRule}: each released update, metrics message and completion against the
 * span's limits) and {@code incomplete_span} ({@link IncompleteSpanRule}), from the thresholds of the start as it
 * reaches this function (the rule document's already filled in). Every incident opened on a span is resolved by the
 * span's completion, its recovery, or its expiry. Each named update and metrics message's watched values against
 * the span's limits on {@link #EVALUATIONS} ({@link ThresholdRule#evaluations}), for {@link SustainedBreaches}.
 *
 * <p><b>Late messages.</b> A message whose event time the watermark has already passed can no longer be put in
 * order: it stays accepted (it is in the pipeline's accepted stream, hence archived) but is left out of detection:
 * it goes to {@link #LATE} and is counted in the {@code lateMessages} metric and the {@link IngestCounts#LATE}
 * accumulator of the run summary.
 *
 * <p><b>State and timers.</b> The messages waiting for the watermark (one event-time timer per distinct event time
 * waiting), and one {@link OpenSpan}: names, the span so far, its latest event time, its completion time, when it
 * becomes incomplete, its open threshold incidents. One housekeeping timer per span: at completion +
 * {@code detection.span.allowed-lateness} once completed; else when it becomes incomplete, then when its incident is
 * given up, and at the latest event time + {@code detection.span.inactivity-timeout} (the span expires: its open
 * threshold incidents are resolved, and once no incomplete incident is pending it is forgotten, counted in
 * {@code spansExpired}); then everything is cleared. A message of the span after that is a new span.
 */
public class SpanSession extends KeyedProcessFunction<String, TraceEvent, TraceEvent> {

    // strings written in one block (CompactStrings) where a side output crosses a shuffle: the completed spans cross
    // two with their attributes, which Flink's string serializer wrote a character at a time (9 % of this chain); the
    // alerts keep Flink's, as every detector's alerts they are unioned with

    /** Accepted messages left out of detection because they arrived behind the watermark. */
    public static final OutputTag<TraceEvent> LATE =
            new OutputTag<>("late-messages", CompactStrings.pojo(TraceEvent.class));
    /** One record per span, at its completion. */
    public static final OutputTag<CompletedSpan> COMPLETED_SPANS =
            new OutputTag<>("completed-spans", CompactStrings.pojo(CompletedSpan.class));
    /** The per-span incidents, triggered and resolved: {@code threshold_breach} and {@code incomplete_span}. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("span-alerts") {};
    /** The watched values of each released update and metrics message against the span's limits. */
    public static final OutputTag<MetricEvaluation> EVALUATIONS =
            new OutputTag<>("metric-evaluations", CompactStrings.pojo(MetricEvaluation.class));

    private static final Comparator<TraceEvent> SAME_TIME_ORDER = Comparator.<TraceEvent>comparingInt(
                    e -> e.messageType == null ? Integer.MAX_VALUE : protocolOrder(e.messageType))
            .thenComparing(e -> e.messageId, Comparator.nullsLast(Comparator.naturalOrder()));

    private final long allowedLatenessMillis;
    private final long inactivityTimeoutMillis;
    private final IncompleteSpanRule incomplete;
    private final ThresholdRule thresholds;

    /** Messages waiting for the watermark, by event time. */
    private transient EventTimeBuffer<TraceEvent> waiting;
    /** The span once one of its messages has been released; null before and after. */
    private transient ValueState<OpenSpan> session;

    private transient Counter lateMessages;
    private transient LongCounter lateCount;
    private transient Counter spansCompleted;
    private transient Counter spansExpired;
    private transient Counter afterCompletion;

    public SpanSession(TraceAnalyticsConfig config) {
        this(config.detection().span(), new IncompleteSpanRule(config), new ThresholdRule(config.detection()));
    }

    public SpanSession(
            TraceAnalyticsConfig.SpanLifetime span, IncompleteSpanRule incomplete, ThresholdRule thresholds) {
        this.allowedLatenessMillis = span.allowedLateness().toMillis();
        this.inactivityTimeoutMillis = span.inactivityTimeout().toMillis();
        this.incomplete = incomplete;
        this.thresholds = thresholds;
    }

    /**
     * The key's type: Flink's string format, written in one block (a checkpoint writes the key of every span's state
     * entry and timer).
     */
    public static final TypeInformation<String> KEY_TYPE = BlockStringTypeInfo.INSTANCE;

    /** The key this function expects: {@code trace_id/span_id}. */
    public static String key(TraceEvent event) {
        return key(event.traceId, event.spanId);
    }

    /** The key of the span {@code spanId} of {@code traceId}; also the subject of its per-span incidents' ids. */
    public static String key(String traceId, String spanId) {
        return traceId + "/" + spanId;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = new EventTimeBuffer<>(getRuntimeContext(), "waiting", CompactStrings.pojo(TraceEvent.class));
        session = getRuntimeContext().getState(new ValueStateDescriptor<>("span", CompactStrings.pojo(OpenSpan.class)));
        lateMessages = getRuntimeContext().getMetricGroup().counter("lateMessages");
        lateCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.LATE, lateCount);
        spansCompleted = getRuntimeContext().getMetricGroup().counter("spansCompleted");
        spansExpired = getRuntimeContext().getMetricGroup().counter("spansExpired");
        afterCompletion = getRuntimeContext().getMetricGroup().counter("messagesAfterSpanCompletion");
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<TraceEvent> out) throws Exception {
        if (event.eventTime <= ctx.timerService().currentWatermark()) {
            lateMessages.inc();
            lateCount.add(1);
            ctx.output(LATE, event);
            return;
        }
        waiting.add(event, event.eventTime, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TraceEvent> out) throws Exception {
        OpenSpan span = session.value();
        for (TraceEvent event : waiting.take(timestamp, SAME_TIME_ORDER)) {
            span = release(event, span, ctx, out);
        }
        if (span == null) {
            return;
        }
        // released first: a completion at the very instant the span becomes incomplete is in time
        if (span.incompleteAt != null && !span.incompleteOpen && isDue(span.incompleteAt, ctx)) {
            span.incompleteOpen = true;
            ctx.output(ALERTS, incomplete.opened(span));
        }
        if (span.incompleteOpen && isDue(span.incompleteAt + incomplete.expiryMillis(), ctx)) {
            ctx.output(ALERTS, incomplete.expired(span));
            span.incompleteOpen = false;
            span.incompleteAt = null;
        }
        if (span.thresholdIncidents != null && span.completedAt == null
                && isDue(thresholds.expiresAt(span), ctx)) {
            thresholds.expired(span, alert -> ctx.output(ALERTS, alert));
        }
        long housekeeping = housekeepingAt(span);
        // event time alone decides: messages of the span still waiting (a batch run has all of them) start anew
        if (isDue(housekeeping, ctx)) {
            if (span.completedAt == null) {
                spansExpired.inc();
            }
            deleteTimer(span.housekeepingAt, ctx);
            session.clear();
            return;
        }
        if (span.housekeepingAt == ctx.timestamp()) {
            span.housekeepingAt = 0;
        }
        // a housekeeping that moves later (every released message moves the inactivity deadline) keeps the timer
        // it has, which then fires early, finds nothing due and sets the next: a timer deleted and another set for
        // each message were half the span session's timer work
        if (span.housekeepingAt == 0 || housekeeping < span.housekeepingAt) {
            deleteTimer(span.housekeepingAt, ctx);
            ctx.timerService().registerEventTimeTimer(housekeeping);
            span.housekeepingAt = housekeeping;
        }
        session.update(span);
    }

    /** True when the span's deadline {@code at} has come in this timer ({@link EventTimeBuffer#hasCome}). */
    private boolean isDue(long at, OnTimerContext ctx) throws Exception {
        return waiting.hasCome(at, ctx.timestamp(), ctx.timerService());
    }

    /**
     * The span's next housekeeping: once completed, when its allowed lateness has passed; else when it becomes
     * incomplete, then when its incident is given up, and when it has been inactive for long enough (its open
     * threshold incidents then expire; the span is forgotten once its incomplete incident is given up too).
     */
    private long housekeepingAt(OpenSpan span) {
        if (span.completedAt != null) {
            return span.completedAt + allowedLatenessMillis;
        }
        long inactive = span.lastSeen + inactivityTimeoutMillis;
        if (span.incompleteAt != null) {
            long incompleteNext =
                    span.incompleteOpen ? span.incompleteAt + incomplete.expiryMillis() : span.incompleteAt;
            return span.thresholdIncidents == null ? incompleteNext : Math.min(incompleteNext, inactive);
        }
        return inactive;
    }

    private OpenSpan release(TraceEvent event, OpenSpan span, OnTimerContext ctx, Collector<TraceEvent> out)
            throws Exception {
        if (span == null) {
            span = OpenSpan.firstSeen(event);
        }
        if (event.messageType == MessageType.START) {
            span.named(event);
            if (span.completedAt == null) {
                span.incompleteAt = event.eventTime + incomplete.timeoutMillis(event.thresholds);
            }
        } else {
            name(event, span);
        }
        span.lastSeen = Math.max(span.lastSeen, event.eventTime);
        out.collect(event);
        if (event.messageType == MessageType.UPDATE || event.messageType == MessageType.METRICS) {
            // the start's limits until the completion; a message after it (the completion was the span's last word)
            // is measured against the defaults, as one of a span already forgotten is
            Thresholds own = span.startReleased && span.completedAt == null ? span.thresholds : null;
            thresholds.evaluations(event, own, evaluation -> ctx.output(EVALUATIONS, evaluation));
        }
        if (span.completedAt != null) {
            afterCompletion.inc();
            return span;
        }
        span.add(event);
        if (event.messageType != MessageType.START) {
            thresholds.evaluate(event, span, alert -> ctx.output(ALERTS, alert));
        }
        if (event.messageType == MessageType.COMPLETE) {
            ctx.output(COMPLETED_SPANS, span.completedBy(event));
            spansCompleted.inc();
            span.completedAt = event.eventTime;
            thresholds.completed(span, event.eventTime, alert -> ctx.output(ALERTS, alert));
            if (span.incompleteOpen) {
                ctx.output(ALERTS, incomplete.completed(span, event));
            }
            span.incompleteOpen = false;
            span.incompleteAt = null;
            span.dropDetailsAfterCompletion();
        }
        return span;
    }

    /** Fills in the names of the span's start: released already, else waiting in the buffer. */
    private void name(TraceEvent event, OpenSpan span) throws Exception {
        String service = span.startServiceName;
        String operation = span.startOperationName;
        if (!span.startReleased) {
            TraceEvent start = waiting.find(queued -> queued.messageType == MessageType.START);
            if (start == null) {
                return;
            }
            service = start.serviceName;
            operation = start.operationName;
        }
        if (event.serviceName == null) {
            event.serviceName = service;
        }
        if (event.operationName == null) {
            event.operationName = operation;
        }
    }

    /** Deletes a timer (0: none) unless messages wait for the same instant (their release shares the timer). */
    private void deleteTimer(long time, OnTimerContext ctx) throws Exception {
        if (time != 0 && time != ctx.timestamp() && !waiting.waitsFor(time)) {
            ctx.timerService().deleteEventTimeTimer(time);
        }
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

    /** What the session keeps of a span between its first released message and its housekeeping. A Flink POJO. */
    public static class OpenSpan {
        public String traceId;
        public String spanId;
        /** True once the start has been released; its names then name the span's other messages. */
        public boolean startReleased;
        public String startServiceName;
        public String startOperationName;
        /** The first names seen on a released message: the completed span's. */
        public String serviceName;
        public String operationName;
        public String parentSpanId;
        public String spanKind;
        public Thresholds thresholds;
        public String attributes;
        public String resourceAttributes;
        public String traceState;
        /** The start's event time; null until the start is released. */
        public Long startTime;
        public long firstSeen;
        public long lastSeen;
        public long errorCount;
        public int messageCount;
        /** The completion's event time; null until it is released. */
        public Long completedAt;
        /** When the span becomes incomplete without a completion; null before its start and once it completed. */
        public Long incompleteAt;
        /** True while its {@code incomplete_span} incident is open. */
        public boolean incompleteOpen;
        /**
         * The open {@code threshold_breach} incidents, by {@link ThresholdRule.Limit} ordinal, each as its rule keeps
         * it (names, start, last value and limit; the rest is made again when it resolves); null while none is open.
         */
        public Alert[] thresholdIncidents;
        /**
         * The {@code threshold_breach} incidents that recovered during the span and have not triggered again, as the
         * rule keeps their recovery, by {@link ThresholdRule.Limit} ordinal; null while none did. At the completion
         * each is resolved once more, to tell the alert lifecycle that the incident cannot come back.
         */
        public Alert[] recoveredIncidents;
        /**
         * When the housekeeping timer fires next: at the latest when the span becomes incomplete or is forgotten,
         * earlier when that moved later since the timer was set; 0 before.
         */
        public long housekeepingAt;

        public OpenSpan() {}

        Alert thresholdIncident(ThresholdRule.Limit limit) {
            return thresholdIncidents == null ? null : thresholdIncidents[limit.ordinal()];
        }

        void thresholdIncident(ThresholdRule.Limit limit, Alert incident) {
            thresholdIncidents = with(thresholdIncidents, limit, incident);
        }

        Alert recoveredIncident(ThresholdRule.Limit limit) {
            return recoveredIncidents == null ? null : recoveredIncidents[limit.ordinal()];
        }

        void recoveredIncident(ThresholdRule.Limit limit, Alert resolution) {
            recoveredIncidents = with(recoveredIncidents, limit, resolution);
        }

        /** {@code byLimit} with {@code incident} at {@code limit}'s ordinal; null when no entry is left. */
        private static Alert[] with(Alert[] byLimit, ThresholdRule.Limit limit, Alert incident) {
            if (byLimit == null) {
                if (incident == null) {
                    return null;
                }
                byLimit = new Alert[ThresholdRule.Limit.values().length];
            }
            byLimit[limit.ordinal()] = incident;
            for (Alert entry : byLimit) {
                if (entry != null) {
                    return byLimit;
                }
            }
            return null;
        }

        static OpenSpan firstSeen(TraceEvent event) {
            OpenSpan span = new OpenSpan();
            span.traceId = event.traceId;
            span.spanId = event.spanId;
            span.firstSeen = event.eventTime;
            span.lastSeen = event.eventTime;
            return span;
        }

        void named(TraceEvent start) {
            startReleased = true;
            startServiceName = start.serviceName;
            startOperationName = start.operationName;
        }

        void add(TraceEvent event) {
            messageCount++;
            if (event.messageType == MessageType.START) {
                startTime = event.spanStartTime != null ? event.spanStartTime : event.eventTime;
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

        /**
         * Forgets what only the completed span needed: the session keeps a completed span for the allowed lateness
         * (a minute by default, most of the spans it holds) just to name and count its late messages, and its
         * attributes were most of the bytes that every checkpoint wrote again.
         */
        void dropDetailsAfterCompletion() {
            parentSpanId = null;
            spanKind = null;
            thresholds = null;
            attributes = null;
            resourceAttributes = null;
            traceState = null;
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
            done.otlpResidual = completion.otlpResidual;
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
