package dev.mplp.trace.cep;

import dev.mplp.trace.cep.rules.RuledSilences;
import dev.mplp.trace.cep.rules.RuntimeRules;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.AlertTexts;
import dev.mplp.trace.functions.EventTimeBuffer;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one operator after all detectors, keyed by incident {@link #subjectOf subject}: decides which of the
 * detectors' triggered and resolved records are sent, so that what is sent pages less and still tells the truth.
 * Every rule works in event time (an alert's {@code evaluationTimestamp}); the sent records keep the one schema, and
 * every incident sent as triggered is later sent as resolved under the same {@code alertId} (unless the input ends
 * with it still open upstream).
 *
 * <ul>
 *   <li><b>Deduplication.</b> A triggered record of the incident already open, or a resolution of an incident that
 *       is not open, is dropped.</li>
 *   <li><b>Minimum firing duration</b> ({@code lifecycle.min-firing-duration}). A triggered incident is held until
 *       it has stayed open that long; resolved sooner, neither record is sent.</li>
 *   <li><b>Recovery observation</b> ({@code lifecycle.recovery-period}). A resolution is held that long; if the
 *       subject triggers again meanwhile, neither is sent and the incident goes on under its first {@code alertId}
 *       (its eventual resolution is sent under that id). A span's incident resolved by the span's completion is
 *       sent at once, one that recovered is sent once the span completes, and the subject is forgotten: a completed
 *       span cannot trigger again.</li>
 *   <li><b>Flapping</b> ({@code lifecycle.flapping}). When the subject's records toggle between triggered and
 *       resolved {@code toggles} times within {@code within}, one {@code flapping} alert is triggered and the
 *       toggles are held back; once there has been none for {@code within}, the flapping alert is resolved and the
 *       subject's state as it then stands is sent where it differs from what was sent.</li>
 *   <li><b>Escalation</b> ({@code lifecycle.critical-deviation-percent}). A warning whose deviation is at least that
 *       is sent as critical; its resolution keeps the severity sent.</li>
 * </ul>
 *
 * <p><b>Order.</b> One subject's records come from one detector, in the order it emitted them, but a record's
 * evaluation time may be ahead of the watermark that carried it (a window's incident is sent as the window closes),
 * so whether it came before or after one of this function's timers would depend on how the upstream subtasks'
 * watermarks interleave. Records wait for the watermark to pass their evaluation time ({@link EventTimeBuffer}) and
 * are applied in event-time order, before the timers of the same instant: every run applies them alike. <b>State</b> is cleared once nothing is open, held or recent for the subject.
 */
public class AlertLifecycle extends KeyedProcessFunction<String, Alert, Alert> {

    public static final String FLAPPING_TYPE = "flapping";

    /**
     * Records of one instant: resolutions first (one message may close an incident and open the next), but those by
     * a span's completion last (the completion may have opened the incident it closes, or recovered it).
     */
    private static final Comparator<Alert> APPLY_ORDER = Comparator.<Alert>comparingInt(
                    a -> a.evaluationResult == AlertState.TRIGGERED ? 1 : endsSubject(a) ? 2 : 0)
            .thenComparing(a -> a.alertId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(a -> a.alertMessage, Comparator.nullsLast(Comparator.naturalOrder()));

    private final long minFiringMillis;
    private final long recoveryMillis;
    private final int flappingToggles;
    private final long flappingWithinMillis;
    private final double criticalDeviationPercent;

    /** The incident as sent: triggered and not (yet) sent as resolved. */
    private transient ValueState<Alert> sent;
    /** A triggered record held for the minimum firing duration. */
    private transient ValueState<Alert> pending;
    /** The resolution of the sent incident, held for the recovery period. */
    private transient ValueState<Alert> resolving;
    /** The incident open upstream, as the detector triggered it. */
    private transient ValueState<Alert> upstreamOpen;
    /** The detector's latest resolution of the subject. */
    private transient ValueState<Alert> upstreamResolved;
    /** The open flapping alert. */
    private transient ValueState<Alert> flapping;
    /** Event times of the subject's recent toggles, oldest first. */
    private transient ListState<Long> toggles;
    /**
     * A resolution that came before its incident's triggered record. Both carry the same timestamp when one
     * message opens and closes an incident, and a batch run sorts each key's records by key and timestamp only,
     * so the two may come in either order; the resolution waits for its triggered record until the watermark
     * passes it.
     */
    private transient ValueState<Alert> earlyResolution;
    /** Records waiting for the watermark to pass their evaluation time. */
    private transient EventTimeBuffer<Alert> waiting;

    public AlertLifecycle(TraceAnalyticsConfig.Lifecycle lifecycle) {
        this.minFiringMillis = lifecycle.minFiringDuration().toMillis();
        this.recoveryMillis = lifecycle.recoveryPeriod().toMillis();
        this.flappingToggles = lifecycle.flapping().toggles();
        this.flappingWithinMillis = lifecycle.flapping().within().toMillis();
        this.criticalDeviationPercent = lifecycle.criticalDeviationPercent();
    }

    /**
     * Wires the lifecycle: {@code alerts} is the union of every detector's alerts; returns the alerts to send,
     * silences applied.
     */
    public static DataStream<Alert> apply(DataStream<Alert> alerts, TraceAnalyticsConfig config) {
        long sparseOutput = SparseOutput.bufferTimeout(alerts.getExecutionEnvironment());
        return alerts.filter(new Silences(config.lifecycle().silences()))
                .name("alert-silences")
                .setBufferTimeout(sparseOutput)
                .keyBy(AlertLifecycle::subjectOf)
                .process(new AlertLifecycle(config.lifecycle()))
                .name("alert-lifecycle")
                .uid("alert-lifecycle")
                .setBufferTimeout(sparseOutput);
    }

    /**
     * Wires the lifecycle with rules changed at runtime: as {@link #apply(DataStream, TraceAnalyticsConfig)}, the
     * silences of the rule document in force applied besides the configured ones.
     */
    public static DataStream<Alert> apply(
            DataStream<Alert> alerts, RuntimeRules.Rules rules, TraceAnalyticsConfig config) {
        long sparseOutput = SparseOutput.bufferTimeout(alerts.getExecutionEnvironment());
        return alerts.connect(rules.broadcast())
                .process(new RuledSilences(config.lifecycle().silences()))
                .name("alert-silences")
                .uid("alert-silences")
                .setBufferTimeout(sparseOutput)
                .keyBy(AlertLifecycle::subjectOf)
                .process(new AlertLifecycle(config.lifecycle()))
                .name("alert-lifecycle")
                .uid("alert-lifecycle")
                .setBufferTimeout(sparseOutput);
    }

    /** The key this function expects: alert type, rule, service, operation, trace, span and metric. */
    public static String subjectOf(Alert alert) {
        return alert.alertType + "|" + alert.alertRuleId + "|" + alert.serviceName + "|" + alert.operationName + "|"
                + alert.traceId + "|" + alert.spanId + "|" + alert.metric;
    }

    @Override
    public void open(OpenContext openContext) {
        sent = getRuntimeContext().getState(new ValueStateDescriptor<>("sent", Alert.class));
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", Alert.class));
        resolving = getRuntimeContext().getState(new ValueStateDescriptor<>("resolving", Alert.class));
        upstreamOpen = getRuntimeContext().getState(new ValueStateDescriptor<>("upstream-open", Alert.class));
        upstreamResolved = getRuntimeContext().getState(new ValueStateDescriptor<>("upstream-resolved", Alert.class));
        flapping = getRuntimeContext().getState(new ValueStateDescriptor<>("flapping", Alert.class));
        toggles = getRuntimeContext().getListState(new ListStateDescriptor<>("toggles", Types.LONG));
        earlyResolution = getRuntimeContext().getState(new ValueStateDescriptor<>("early-resolution", Alert.class));
        waiting = new EventTimeBuffer<>(getRuntimeContext(), "waiting", TypeInformation.of(Alert.class));
    }

    @Override
    public void processElement(Alert in, Context ctx, Collector<Alert> out) throws Exception {
        waiting.add(in, in.evaluationTimestamp, ctx.timerService());
    }

    private void accept(Alert in, Context ctx, Collector<Alert> out) throws Exception {
        Alert open = upstreamOpen.value();
        if (in.evaluationResult == AlertState.RESOLVED && (open == null || !Objects.equals(open.alertId, in.alertId))) {
            if (endsSubject(in) && flapping.value() == null && upstreamResolved.value() != null
                    && Objects.equals(upstreamResolved.value().alertId, in.alertId)) {
                // the span completed after its incident recovered: the resolution held for a re-trigger is final
                Alert resolution = resolving.value();
                if (resolution != null) {
                    out.collect(resolution);
                }
                forget(ctx);
                return;
            }
            earlyResolution.update(in);
            ctx.timerService().registerEventTimeTimer(in.evaluationTimestamp);
            return;
        }
        apply(in, ctx, out);
        Alert early = earlyResolution.value();
        if (in.evaluationResult == AlertState.TRIGGERED && early != null && Objects.equals(early.alertId, in.alertId)) {
            earlyResolution.clear();
            apply(early, ctx, out);
        }
    }

    private void apply(Alert in, Context ctx, Collector<Alert> out) throws Exception {
        Alert open = upstreamOpen.value();
        boolean triggered = in.evaluationResult == AlertState.TRIGGERED;
        if (triggered ? open != null : open == null || !Objects.equals(open.alertId, in.alertId)) {
            return;
        }
        Alert record = triggered ? escalated(in) : in;
        if (triggered) {
            upstreamOpen.update(record);
        } else {
            upstreamOpen.clear();
            upstreamResolved.update(record);
        }
        List<Long> recent = toggle(record.evaluationTimestamp, ctx);
        if (flapping.value() != null) {
            return;
        }
        if (recent.size() >= flappingToggles) {
            startFlapping(record, recent, out);
            return;
        }
        if (triggered) {
            onTriggered(record, ctx, out);
        } else {
            onResolved(record, ctx, out);
            if (endsSubject(record)) {
                forget(ctx);
            }
        }
    }

    /**
     * True for a resolution by a span's completion, of its open incident or (a repeat) of one that recovered during
     * the span: nothing after a completion is evaluated against the span for
     * {@code detection.span.allowed-lateness} (by default as long as the recovery period), so the subject cannot
     * trigger or toggle again, and holding it for recovery or flapping would only keep a finished span's records in
     * memory.
     */
    private static boolean endsSubject(Alert resolution) {
        return resolution.resolution == AlertResolution.SPAN_COMPLETED;
    }

    /**
     * Clears the subject's state and deletes the timers it set, keeping those of records still waiting (a timer
     * stands for every purpose of its instant).
     */
    private void forget(Context ctx) throws Exception {
        long now = ctx.timerService().currentWatermark();
        for (long deadline : deadlines()) {
            if (deadline > now && !waiting.waitsFor(deadline)) {
                ctx.timerService().deleteEventTimeTimer(deadline);
            }
        }
        sent.clear();
        pending.clear();
        resolving.clear();
        upstreamOpen.clear();
        upstreamResolved.clear();
        toggles.clear();
        earlyResolution.clear();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        for (Alert in : waiting.take(timestamp, APPLY_ORDER)) {
            accept(in, ctx, out);
        }
        fire(timestamp, out);
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the input has ended, and a batch run fires no timer registered now: the deadlines before the next
            // waiting record are met here, in order (in a streaming run too, where their timers then find them met)
            long at = timestamp;
            Long next = nextDeadlineAfter(at);
            while (next != null && !waiting.waitsAtOrBefore(next)) {
                fire(next, out);
                at = next;
                next = nextDeadlineAfter(at);
            }
        }
    }

    /** The earliest instant after {@code at} when a held record, a resolution or the toggles are due; null if none. */
    private Long nextDeadlineAfter(long at) throws Exception {
        return deadlines().stream().filter(time -> time > at).min(Long::compare).orElse(null);
    }

    /** When the subject's held records, resolutions and toggles are due: the instants of the timers it set. */
    private List<Long> deadlines() throws Exception {
        List<Long> due = new ArrayList<>();
        Alert early = earlyResolution.value();
        if (early != null) {
            due.add(early.evaluationTimestamp);
        }
        Alert held = pending.value();
        if (held != null) {
            due.add(held.evaluationTimestamp + minFiringMillis);
        }
        Alert resolution = resolving.value();
        if (resolution != null) {
            due.add(resolution.evaluationTimestamp + recoveryMillis);
        }
        for (Long toggle : toggles.get()) {
            due.add(toggle + flappingWithinMillis);
        }
        return due;
    }

    /** What is due at {@code timestamp}: held records sent, resolutions after their recovery, flapping settled. */
    private void fire(long timestamp, Collector<Alert> out) throws Exception {
        Alert early = earlyResolution.value();
        if (early != null && timestamp >= early.evaluationTimestamp) {
            earlyResolution.clear(); // no incident of it came: a repeated or stray resolution
        }
        Alert held = pending.value();
        if (held != null && timestamp >= held.evaluationTimestamp + minFiringMillis) {
            send(held, out);
        }
        Alert resolution = resolving.value();
        if (resolution != null && timestamp >= resolution.evaluationTimestamp + recoveryMillis) {
            out.collect(resolution);
            resolving.clear();
            sent.clear();
        }
        List<Long> recent = recentToggles(timestamp);
        if (recent.isEmpty()) {
            toggles.clear();
            Alert flap = flapping.value();
            if (flap != null) {
                endFlapping(flap, out);
            }
        }
        if (sent.value() == null && pending.value() == null && resolving.value() == null
                && upstreamOpen.value() == null && flapping.value() == null && recent.isEmpty()) {
            upstreamResolved.clear();
        }
    }

    private void onTriggered(Alert record, Context ctx, Collector<Alert> out) throws Exception {
        Alert resolution = resolving.value();
        if (resolution != null) {
            if (record.evaluationTimestamp - resolution.evaluationTimestamp < recoveryMillis) {
                resolving.clear();
                return;
            }
            out.collect(resolution);
            resolving.clear();
            sent.clear();
        }
        if (minFiringMillis == 0) {
            send(record, out);
        } else {
            pending.update(record);
            ctx.timerService().registerEventTimeTimer(record.evaluationTimestamp + minFiringMillis);
        }
    }

    private void onResolved(Alert record, Context ctx, Collector<Alert> out) throws Exception {
        Alert held = pending.value();
        if (held != null) {
            pending.clear();
            if (record.evaluationTimestamp - held.evaluationTimestamp < minFiringMillis) {
                return;
            }
            send(held, out);
        }
        Alert open = sent.value();
        if (open == null) {
            return;
        }
        Alert resolution = resolutionOf(open, record);
        if (recoveryMillis == 0 || endsSubject(record)) {
            out.collect(resolution);
            sent.clear();
        } else {
            resolving.update(resolution);
            ctx.timerService().registerEventTimeTimer(record.evaluationTimestamp + recoveryMillis);
        }
    }

    private void send(Alert triggered, Collector<Alert> out) throws Exception {
        out.collect(triggered.copy());
        sent.update(triggered);
        pending.clear();
    }

    /** The detector's resolution, sent as the resolution of the incident that was sent. */
    private static Alert resolutionOf(Alert sentIncident, Alert resolved) {
        Alert resolution = resolved.copy();
        resolution.alertId = sentIncident.alertId;
        resolution.startedAt = sentIncident.startedAt;
        resolution.severity = sentIncident.severity;
        resolution.evaluationTimestamp = Math.max(resolved.evaluationTimestamp, sentIncident.startedAt);
        return resolution;
    }

    private Alert escalated(Alert in) {
        if (in.severity == Severity.WARNING
                && in.deviationPercent != null
                && Math.abs(in.deviationPercent) >= criticalDeviationPercent) {
            Alert critical = in.copy();
            critical.severity = Severity.CRITICAL;
            return critical;
        }
        return in;
    }

    /** Records a toggle at {@code at}; returns the toggles within the flapping period up to it. */
    private List<Long> toggle(long at, Context ctx) throws Exception {
        List<Long> recent = recentToggles(at);
        recent.add(at);
        toggles.update(recent);
        ctx.timerService().registerEventTimeTimer(at + flappingWithinMillis);
        return recent;
    }

    private List<Long> recentToggles(long now) throws Exception {
        List<Long> recent = new ArrayList<>();
        for (Long at : toggles.get()) {
            if (at > now - flappingWithinMillis) {
                recent.add(at);
            }
        }
        return recent;
    }

    private void startFlapping(Alert record, List<Long> recent, Collector<Alert> out) throws Exception {
        pending.clear();
        resolving.clear();
        Alert flap = record.copy();
        flap.alertType = FLAPPING_TYPE;
        flap.alertRuleName = "Flapping: " + (record.alertRuleName == null ? record.alertRuleId : record.alertRuleName);
        flap.alertId = Alert.idOf(FLAPPING_TYPE, subjectOf(record), record.alertRuleId, record.evaluationTimestamp);
        flap.evaluationResult = AlertState.TRIGGERED;
        flap.resolution = null;
        flap.severity = Severity.WARNING;
        flap.thresholdValue = (double) flappingToggles;
        flap.actualValue = (double) recent.size();
        flap.baselineValue = null;
        flap.deviationPercent = null;
        flap.windowStart = recent.get(0);
        flap.windowEnd = record.evaluationTimestamp;
        flap.startedAt = record.evaluationTimestamp;
        flap.alertMessage = record.alertType + " " + record.alertRuleId + " on " + IncidentTracker.describe(record)
                + " toggled " + recent.size() + " times between triggered and resolved within "
                + AlertTexts.text(java.time.Duration.ofMillis(flappingWithinMillis))
                + "; its toggles are held back until it settles";
        flap.recommendedActions = new String[] {
            "Look at " + record.metric + " around its limit: the limit may be too tight",
            "Raise lifecycle.recovery-period or the rule's limit if this is normal"
        };
        flapping.update(flap);
        out.collect(flap.copy());
    }

    private void endFlapping(Alert flap, Collector<Alert> out) throws Exception {
        Alert settled = flap.copy();
        settled.evaluationResult = AlertState.RESOLVED;
        settled.resolution = AlertResolution.RECOVERED;
        Alert last = upstreamOpen.value() != null ? upstreamOpen.value() : upstreamResolved.value();
        settled.evaluationTimestamp = (last == null ? flap.startedAt : last.evaluationTimestamp) + flappingWithinMillis;
        settled.alertMessage = flap.alertType + " of " + flap.alertRuleId + " on " + IncidentTracker.describe(flap)
                + " ended: no toggle for " + AlertTexts.text(java.time.Duration.ofMillis(flappingWithinMillis));
        out.collect(settled);
        flapping.clear();
        Alert openUpstream = upstreamOpen.value();
        Alert open = sent.value();
        if (openUpstream != null && open == null) {
            send(openUpstream, out);
        } else if (openUpstream == null && open != null) {
            out.collect(resolutionOf(open, upstreamResolved.value()));
            sent.clear();
        }
    }
}
