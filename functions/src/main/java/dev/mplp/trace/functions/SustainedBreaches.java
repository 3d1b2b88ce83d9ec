package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MetricEvaluation;
import java.time.Duration;
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
 * subject's {@link SustainedBreachRule.Recent}: at most M − 1 evaluations, the open incident and one housekeeping
 * timer at its quiet time; nothing once no incident is open and no recent breach can start a match.
 *
 * <p><b>Quiet.</b> Only evaluations inside the limit resolve an incident (M − N + 1 in a row). A subject with no
 * evaluation for {@code detection.baseline.idle-timeout} (the idle timeout of the operations' baselines: an
 * operation no longer called, or the end of a bounded input) has its incident ended as {@code idle_expired} as of
 * that time and is forgotten, as the degradation detector forgets an idle operation: otherwise the incident it
 * holds open (breach-incidents) would stay open for good.
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
    /** No evaluation of a subject for this long ends its incident and forgets it: the operations' idle timeout. */
    private final Duration quiet;

    /** Evaluations waiting for the watermark, by event time. */
    private transient EventTimeBuffer<MetricEvaluation> waiting;
    private transient ValueState<SustainedBreachRule.Recent> recent;

    /** @param quiet no evaluation of a subject for this long ends its incident ({@code idle_expired}) */
    public SustainedBreaches(TraceAnalyticsConfig.SustainedBreach sustained, Duration quiet) {
        this.rule = new SustainedBreachRule(sustained);
        this.quiet = quiet;
    }

    /** Wires the detector after the span sessions' evaluations; returns its incidents, triggered and resolved. */
    public static DataStream<Alert> detect(DataStream<MetricEvaluation> evaluations, TraceAnalyticsConfig config) {
        return evaluations.keyBy(SustainedBreachRule::subject)
                .process(new SustainedBreaches(
                        config.patterns().sustainedBreach(), config.detection().baseline().idleTimeout()))
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
        SustainedBreachRule.Recent subject = recent.value();
        if (subject == null) {
            if (due.isEmpty()) {
                return; // a housekeeping timer of a subject forgotten since
            }
            subject = new SustainedBreachRule.Recent();
        }
        if (subject.housekeepingAt == timestamp) {
            subject.housekeepingAt = 0;
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
        long quietAt = subject.lastAt + quiet.toMillis();
        if (waiting.hasCome(quietAt, timestamp, ctx.timerService())) {
            Alert expired = rule.expire(subject, quietAt, quiet);
            if (expired != null) {
                out.collect(expired);
            }
            forget(subject, ctx);
        } else if (subject.isEmpty()) {
            forget(subject, ctx);
        } else {
            if (subject.housekeepingAt == 0) {
                // one housekeeping timer: set at the quiet time it knows of; if evaluations came since, it fires
                // early and is set again
                subject.housekeepingAt = quietAt;
                ctx.timerService().registerEventTimeTimer(quietAt);
            }
            recent.update(subject);
        }
    }

    /** Clears the subject's state and its housekeeping timer (unless evaluations wait for the same instant). */
    private void forget(SustainedBreachRule.Recent subject, OnTimerContext ctx) throws Exception {
        if (subject.housekeepingAt != 0 && !waiting.waitsFor(subject.housekeepingAt)) {
            ctx.timerService().deleteEventTimeTimer(subject.housekeepingAt);
        }
        recent.clear();
    }
}
