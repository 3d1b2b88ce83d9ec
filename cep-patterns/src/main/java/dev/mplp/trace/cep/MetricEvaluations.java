package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by span ({@code SpanSession.key}), over its messages in event-time order: turns every update and
 * metrics message into one {@link MetricEvaluation} per {@link WatchedMetric} it reports, against the limit the
 * span's trace declared in its start (else the configured default). Messages of a span whose start was not seen
 * (no service known) are not evaluated: the pattern is per service and operation.
 *
 * <p><b>State.</b> The limits of the span's start, cleared at its completion, or once the span has sent nothing for
 * {@code detection.span.inactivity-timeout} of event time.
 */
public class MetricEvaluations extends KeyedProcessFunction<String, TraceEvent, MetricEvaluation> {

    private final TraceAnalyticsConfig.ThresholdDefaults defaults;
    private final long inactivityTimeoutMillis;

    /** The limits of the span's start; null until it is seen, or when it gave none. */
    private transient ValueState<Thresholds> limits;
    /** The latest event time of the span, epoch ms; its clean-up timer is due this plus the inactivity timeout. */
    private transient ValueState<Long> lastSeen;

    public MetricEvaluations(TraceAnalyticsConfig.Detection detection) {
        this.defaults = detection.thresholds().defaults();
        this.inactivityTimeoutMillis = detection.span().inactivityTimeout().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        limits = getRuntimeContext().getState(new ValueStateDescriptor<>("limits", Thresholds.class));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<MetricEvaluation> out) throws Exception {
        switch (event.messageType) {
            case START -> {
                if (event.thresholds != null) {
                    limits.update(event.thresholds);
                }
                touch(event.eventTime, ctx);
            }
            case UPDATE, METRICS -> {
                evaluate(event, out);
                touch(event.eventTime, ctx);
            }
            case COMPLETE -> forget(ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricEvaluation> out) throws Exception {
        Long last = lastSeen.value();
        if (last != null && timestamp >= last + inactivityTimeoutMillis) {
            limits.clear();
            lastSeen.clear();
        }
    }

    private void evaluate(TraceEvent event, Collector<MetricEvaluation> out) throws Exception {
        if (event.serviceName == null || event.messageType == MessageType.START) {
            return;
        }
        Thresholds own = limits.value();
        for (WatchedMetric watched : WatchedMetric.values()) {
            Double value = watched.valueIn(event.measurements);
            if (value == null) {
                continue;
            }
            out.collect(evaluation(event, watched, value, watched.limit(own, defaults)));
        }
    }

    /** The evaluation of one reported value of a span's message against its limit. */
    static MetricEvaluation evaluation(TraceEvent event, WatchedMetric watched, double value, double limit) {
        MetricEvaluation evaluation = new MetricEvaluation();
        evaluation.serviceName = event.serviceName;
        evaluation.operationName = event.operationName;
        evaluation.metric = watched.metric;
        evaluation.value = value;
        evaluation.limit = limit;
        evaluation.breached = value > limit;
        evaluation.eventTime = event.eventTime;
        evaluation.traceId = event.traceId;
        evaluation.spanId = event.spanId;
        return evaluation;
    }

    /** Moves the clean-up timer to the span's latest event time plus the inactivity timeout. */
    private void touch(long eventTime, Context ctx) throws Exception {
        Long last = lastSeen.value();
        if (last == null || eventTime > last) {
            if (last != null) {
                ctx.timerService().deleteEventTimeTimer(last + inactivityTimeoutMillis);
            }
            ctx.timerService().registerEventTimeTimer(eventTime + inactivityTimeoutMillis);
            lastSeen.update(eventTime);
        }
    }

    private void forget(Context ctx) throws Exception {
        Long last = lastSeen.value();
        if (last != null) {
            ctx.timerService().deleteEventTimeTimer(last + inactivityTimeoutMillis);
        }
        limits.clear();
        lastSeen.clear();
    }
}
