package dev.mplp.trace.cep;

import dev.mplp.trace.functions.EventTimeBuffer;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The resolve side of a CEP pattern, keyed by {@link #subjectOf subject}: turns the pattern's matches into incidents
 * that are triggered once and resolved once, with the same {@code alertId}.
 *
 * <p><b>Why a function after CEP.</b> A CEP match says "this happened"; it cannot say "and now it is over", nor
 * remember that an incident is already open when the pattern matches again. This function does both.
 *
 * <p><b>Input</b>, one stream of {@link Alert}s:
 * <ul>
 *   <li>a {@link AlertState#TRIGGERED} alert with an {@code alertId}: a match. It opens an incident when none is
 *       open for the subject, else it only renews the open one (it is dropped: deduplication);</li>
 *   <li>a {@link AlertState#RESOLVED} alert without {@code alertId}: a <i>recovery signal</i> (the value is back
 *       inside, the span completed). It resolves the open incident, if any, keeping the incident's identity and
 *       taking the signal's time, value, resolution and message; without an open incident it is dropped.</li>
 * </ul>
 * An incident not renewed for the idle period is resolved with the idle resolution at its last renewal plus that
 * period: how an error burst ends, and how a latency creep that is no longer seen (the operation no longer called,
 * the input ended) is given up.
 *
 * <p><b>Order.</b> Matches reach this function later than the messages they are about (CEP waits for the
 * watermark), while recovery signals may come straight from the messages. So every input waits here until the
 * watermark passes its {@code evaluationTimestamp}, then all that are due are applied in that order (at the same
 * time: recoveries first, then matches; ties by id and message): every run finds the same incidents.
 *
 * <p><b>State.</b> The inputs waiting for the watermark and the open incident; nothing is left for a subject
 * without an open incident once its inputs are applied.
 */
public class IncidentTracker extends KeyedProcessFunction<String, Alert, Alert> {

    private static final Comparator<Alert> APPLY_ORDER = Comparator.<Alert>comparingLong(a -> a.evaluationTimestamp)
            .thenComparing(a -> a.evaluationResult == AlertState.RESOLVED ? 0 : 1)
            .thenComparing(a -> a.alertId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(a -> a.alertMessage, Comparator.nullsLast(Comparator.naturalOrder()));

    private final long idleMillis;
    private final AlertResolution idleResolution;
    private final String idleText;

    /** Inputs waiting for the watermark, by evaluation time. */
    private transient EventTimeBuffer<Alert> waiting;
    /** The open incident as triggered; null when none. */
    private transient ValueState<Alert> open;
    /** Event time the open incident was last triggered or renewed, epoch ms. */
    private transient ValueState<Long> renewedAt;

    /**
     * Incidents end by a recovery signal, or {@code idle} after their last renewal; {@code idleText} completes the
     * sentence "… ended: " of the resolution's message.
     */
    public static IncidentTracker resolvedWhenIdle(Duration idle, AlertResolution resolution, String idleText) {
        return new IncidentTracker(idle.toMillis(), resolution, idleText);
    }

    private IncidentTracker(long idleMillis, AlertResolution idleResolution, String idleText) {
        if (idleMillis <= 0) {
            throw new IllegalArgumentException("the idle period must be positive, not " + idleMillis + " ms");
        }
        this.idleMillis = idleMillis;
        this.idleResolution = idleResolution;
        this.idleText = idleText;
    }

    /** The key this function expects: alert type, service, operation, metric, trace and span. */
    public static String subjectOf(Alert alert) {
        return alert.alertType + "|" + alert.serviceName + "|" + alert.operationName + "|" + alert.metric + "|"
                + alert.traceId + "|" + alert.spanId;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = new EventTimeBuffer<>(getRuntimeContext(), "waiting", TypeInformation.of(Alert.class));
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open", Alert.class));
        renewedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("renewed-at", Types.LONG));
    }

    @Override
    public void processElement(Alert input, Context ctx, Collector<Alert> out) throws Exception {
        waiting.add(input, input.evaluationTimestamp, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        for (Alert input : waiting.take(timestamp, APPLY_ORDER)) {
            apply(input, ctx, out);
        }
        Long renewed = renewedAt.value();
        Alert incident = open.value();
        if (incident != null && renewed != null
                && waiting.hasCome(renewed + idleMillis, timestamp, ctx.timerService())) {
            Alert resolved = incident.copy();
            resolved.evaluationResult = AlertState.RESOLVED;
            resolved.resolution = idleResolution;
            resolved.evaluationTimestamp = renewed + idleMillis;
            resolved.alertMessage = incident.alertType + " on " + describe(incident) + " ended: " + idleText;
            close(resolved, ctx, out);
        }
    }

    private void apply(Alert input, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Alert incident = open.value();
        if (input.evaluationResult == AlertState.TRIGGERED) {
            if (incident == null) {
                open.update(input);
                out.collect(input.copy());
            }
            renew(input.evaluationTimestamp, ctx);
        } else if (incident != null && (input.alertId == null || Objects.equals(input.alertId, incident.alertId))) {
            Alert resolved = incident.copy();
            resolved.evaluationResult = AlertState.RESOLVED;
            resolved.resolution = input.resolution == null ? AlertResolution.RECOVERED : input.resolution;
            resolved.evaluationTimestamp = Math.max(input.evaluationTimestamp, incident.startedAt);
            resolved.actualValue = input.actualValue;
            resolved.deviationPercent = input.deviationPercent;
            resolved.alertMessage = input.alertMessage;
            if (input.windowEnd != null) {
                resolved.windowEnd = input.windowEnd;
            }
            close(resolved, ctx, out);
        }
    }

    /** Moves the idle timer to {@code at} plus the idle period. */
    private void renew(long at, OnTimerContext ctx) throws Exception {
        Long renewed = renewedAt.value();
        if (renewed != null && renewed >= at) {
            return;
        }
        if (renewed != null) {
            deleteTimer(renewed + idleMillis, ctx);
        }
        ctx.timerService().registerEventTimeTimer(at + idleMillis);
        renewedAt.update(at);
    }

    private void close(Alert resolved, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Long renewed = renewedAt.value();
        if (renewed != null) {
            deleteTimer(renewed + idleMillis, ctx);
        }
        out.collect(resolved);
        open.clear();
        renewedAt.clear();
    }

    /** Deletes an idle timer unless inputs wait for the same instant (they share the timer). */
    private void deleteTimer(long time, OnTimerContext ctx) throws Exception {
        if (time != ctx.timestamp() && !waiting.waitsFor(time)) {
            ctx.timerService().deleteEventTimeTimer(time);
        }
    }

    static String describe(Alert alert) {
        if (alert.spanId != null) {
            return "span " + alert.spanId + " of trace " + alert.traceId;
        }
        return alert.serviceName + (alert.operationName == null ? "" : " " + alert.operationName);
    }
}
