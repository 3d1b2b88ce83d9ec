package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MetricEvaluation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (service, operation, metric) ({@link SustainedBreachRule#subject}): the {@code sustained_breach}
 * incidents ({@link SustainedBreachRule}) over the {@link SpanSession#EVALUATIONS} of every span of the operation.
 *
 * <p><b>Order.</b> A subject's evaluations come from the spans of many sessions, on several subtasks, so they arrive
 * in an order that varies from run to run: each waits here until the watermark passes its event time, then those
 * due are counted in event-time order, at the same time by trace, span and value, so that every run finds the same
 * incidents.
 *
 * <p><b>State.</b> The evaluations waiting for the watermark (one event-time timer per distinct time), and the
 * subject's {@link SustainedBreachRule.Recent}: at most M − 1 evaluations and the open incident; nothing once no
 * incident is open and no recent breach can start a match.
 */
public class SustainedBreaches extends KeyedProcessFunction<String, MetricEvaluation, Alert> {

    /** Evaluations at the same event time: by trace, span and value. */
    public static final Comparator<MetricEvaluation> SAME_TIME_ORDER = Comparator.<MetricEvaluation, String>comparing(
                    e -> e.traceId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.spanId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingDouble(e -> e.value);
    /** At the same instant, recoveries before matches; ties by id and message. */
    private static final Comparator<Alert> APPLY_ORDER = Comparator.<Alert>comparingInt(
                    a -> a.evaluationResult == AlertState.RESOLVED ? 0 : 1)
            .thenComparing(a -> a.alertId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(a -> a.alertMessage, Comparator.nullsLast(Comparator.naturalOrder()));

    private final SustainedBreachRule rule;

    /** Evaluations waiting for the watermark, by event time. */
    private transient EventTimeBuffer<MetricEvaluation> waiting;
    private transient ValueState<SustainedBreachRule.Recent> recent;

    public SustainedBreaches(TraceAnalyticsConfig.SustainedBreach sustained) {
        this.rule = new SustainedBreachRule(sustained);
    }

    /** Wires the detector after the span sessions' evaluations; returns its incidents, triggered and resolved. */
    public static DataStream<Alert> detect(DataStream<MetricEvaluation> evaluations, TraceAnalyticsConfig config) {
        return evaluations.keyBy(SustainedBreachRule::subject)
                .process(new SustainedBreaches(config.patterns().sustainedBreach()))
                .name("sustained-breaches")
                .uid("sustained-breaches")
                .setBufferTimeout(SparseOutput.bufferTimeout(evaluations.getExecutionEnvironment()));
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = new EventTimeBuffer<>(getRuntimeContext(), "waiting", TypeInformation.of(MetricEvaluation.class));
        recent = getRuntimeContext().getState(
                new ValueStateDescriptor<>("recent", SustainedBreachRule.Recent.class));
    }

    @Override
    public void processElement(MetricEvaluation evaluation, Context ctx, Collector<Alert> out) throws Exception {
        waiting.add(evaluation, evaluation.eventTime, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<MetricEvaluation> due = waiting.take(timestamp, SAME_TIME_ORDER);
        if (due.isEmpty()) {
            return;
        }
        SustainedBreachRule.Recent subject = recent.value();
        if (subject == null) {
            subject = new SustainedBreachRule.Recent();
        }
        List<Alert> signals = new ArrayList<>();
        for (MetricEvaluation evaluation : due) {
            rule.count(evaluation, subject, signals::add);
        }
        signals.sort(APPLY_ORDER);
        for (Alert signal : signals) {
            Alert sent = rule.apply(signal, subject);
            if (sent != null) {
                out.collect(sent);
            }
        }
        if (subject.isEmpty()) {
            recent.clear();
        } else {
            recent.update(subject);
        }
    }
}
