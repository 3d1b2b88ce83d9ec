package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * {@code sustained_breach}, the counting: the same (service, operation, metric) over its limit in at least N
 * ({@code patterns.sustained-breach.breaches}) of at most M ({@code …evaluations}) consecutive evaluations, first to
 * last within T ({@code …within}); a single spike never fires it (N is at least 2). Holds no state:
 * {@link SustainedBreaches} keeps each subject's {@link Recent} evaluations and open incident, and calls this with
 * the subject's evaluations in event-time order.
 *
 * <p><b>Match.</b> An evaluation over the limit completes a match when the N-th breach back from it (itself
 * included), among the evaluations since the last match, is less than T before it and at most M − N evaluations
 * inside the limit lie between the two. The next match counts only evaluations after this one. (What Flink CEP's
 * pattern "breach, in-between, still-breaching" with strict contiguity and skip-past-last-event found; a counter of
 * at most M − 1 recent evaluations does it without partial matches.)
 *
 * <p><b>Incident.</b> Triggered by the first match, its {@code alertId} from the subject and the match's first
 * breach; matches while it is open are dropped. Resolved ({@link AlertResolution#RECOVERED}) by M − N + 1 consecutive
 * evaluations inside the limit (counted afresh after each such run): from then on the last M evaluations can no
 * longer hold N breaches. At the same instant a recovery is applied before a match.
 *
 * <p><b>Quiet.</b> Only evaluations inside the limit resolve an incident; one whose subject is no longer evaluated
 * (the operation is no longer called, the input ended) is ended by {@link #expire}, as {@link SustainedBreaches}
 * decides.
 */
public class SustainedBreachRule implements Serializable {

    public static final String ALERT_TYPE = "sustained_breach";

    private final int breaches;
    private final int evaluations;
    private final long withinMillis;

    public SustainedBreachRule(TraceAnalyticsConfig.SustainedBreach sustained) {
        this.breaches = sustained.breaches();
        this.evaluations = sustained.evaluations();
        this.withinMillis = sustained.within().toMillis();
    }

    /** The alert's {@code alertRuleId} for a metric: {@code sustained.cpu_usage_percent}, … */
    public static String ruleId(String metric) {
        return "sustained." + metric;
    }

    /** The subject an incident is about, and the key of {@link SustainedBreaches}: service, operation, metric. */
    public static String subject(MetricEvaluation evaluation) {
        return evaluation.serviceName + "|" + evaluation.operationName + "|" + evaluation.metric;
    }

    /**
     * Counts one evaluation into {@code recent}; gives a match's triggered alert, or the recovery signal (a
     * resolved alert without {@code alertId}) of M − N + 1 evaluations inside the limit, to {@code signals}.
     */
    public void count(MetricEvaluation evaluation, Recent recent, Consumer<Alert> signals) {
        recent.lastAt = Math.max(recent.lastAt, evaluation.eventTime);
        if (evaluation.breached) {
            recent.insideRun = 0;
        } else if (++recent.insideRun == evaluations - breaches + 1) {
            recent.insideRun = 0;
            signals.accept(recoverySignal(evaluation));
        }
        recent.append(evaluation.eventTime, evaluation.breached);
        if (evaluation.breached && matches(recent, evaluation.eventTime, signals, evaluation)) {
            recent.times = new long[0];
            recent.breached = new boolean[0];
            return;
        }
        recent.trim(evaluation.eventTime, withinMillis, evaluations - 1, evaluations - breaches);
    }

    /** Applies a signal of {@link #count} to the subject's incident; returns what is sent, or null. */
    public Alert apply(Alert signal, Recent recent) {
        if (signal.evaluationResult == AlertState.TRIGGERED) {
            if (recent.open != null) {
                return null;
            }
            recent.open = signal;
            return signal.copy();
        }
        Alert resolved = close(recent, AlertResolution.RECOVERED);
        if (resolved != null) {
            resolved.evaluationTimestamp = Math.max(signal.evaluationTimestamp, resolved.startedAt);
            resolved.actualValue = signal.actualValue;
            resolved.deviationPercent = signal.deviationPercent;
            resolved.alertMessage = signal.alertMessage;
            resolved.windowEnd = signal.windowEnd;
        }
        return resolved;
    }

    /**
     * Ends the subject's open incident as of {@code at}, {@code quiet} after its last evaluation: returns the
     * resolution to send ({@link AlertResolution#IDLE_EXPIRED}), or null when none is open.
     */
    public Alert expire(Recent recent, long at, Duration quiet) {
        Alert resolved = close(recent, AlertResolution.IDLE_EXPIRED);
        if (resolved != null) {
            resolved.evaluationTimestamp = at;
            resolved.windowEnd = at;
            resolved.alertMessage = "no evaluation of " + resolved.metric + " of " + resolved.serviceName + " "
                    + resolved.operationName + " for " + AlertTexts.text(quiet)
                    + " since the last, ending the sustained breach (last " + AlertTexts.number(resolved.actualValue)
                    + " against " + AlertTexts.number(resolved.thresholdValue) + ")";
        }
        return resolved;
    }

    /** The open incident, resolved as {@code resolution} and no longer open; null when none is open. */
    private static Alert close(Recent recent, AlertResolution resolution) {
        Alert incident = recent.open;
        if (incident == null) {
            return null;
        }
        recent.open = null;
        Alert resolved = incident.copy();
        resolved.evaluationResult = AlertState.RESOLVED;
        resolved.resolution = resolution;
        return resolved;
    }

    private boolean matches(Recent recent, long at, Consumer<Alert> signals, MetricEvaluation last) {
        int found = 0;
        int inside = 0;
        for (int i = recent.times.length - 1; i >= 0; i--) {
            if (!recent.breached[i]) {
                inside++;
            } else if (++found == breaches) {
                if (inside > evaluations - breaches || at - recent.times[i] >= withinMillis) {
                    return false;
                }
                signals.accept(triggered(last, recent.times[i], recent.times.length - i));
                return true;
            }
        }
        return false;
    }

    private Alert triggered(MetricEvaluation last, long firstAt, int taken) {
        Alert alert = about(last);
        alert.alertRuleId = ruleId(last.metric);
        alert.alertRuleName = "Sustained " + last.metric + " breach";
        alert.alertId = Alert.idOf(
                ALERT_TYPE, last.serviceName + "/" + last.operationName, alert.alertRuleId, firstAt);
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.severity = Severity.WARNING;
        alert.windowStart = firstAt;
        alert.startedAt = firstAt;
        alert.alertMessage = last.metric + " above its limit in " + breaches + " of " + taken
                + " consecutive evaluations of " + last.serviceName + " " + last.operationName + " (at least "
                + breaches + " of " + evaluations + " make it sustained), the last "
                + AlertTexts.number(last.value) + " against " + AlertTexts.number(last.limit);
        alert.recommendedActions = new String[] {
            "Look at " + last.metric + " of " + last.serviceName + " over the last minutes",
            "Scale the service out or find what keeps it over its limit"
        };
        return alert;
    }

    private Alert recoverySignal(MetricEvaluation last) {
        Alert signal = about(last);
        signal.evaluationResult = AlertState.RESOLVED;
        signal.resolution = AlertResolution.RECOVERED;
        signal.alertMessage = last.metric + " of " + last.serviceName + " " + last.operationName
                + " back within its limit in " + (evaluations - breaches + 1) + " consecutive evaluations, the last "
                + AlertTexts.number(last.value) + " against " + AlertTexts.number(last.limit);
        return signal;
    }

    /** An alert about the subject of {@code last}, its value, limit and time that of {@code last}. */
    private static Alert about(MetricEvaluation last) {
        Alert alert = new Alert();
        alert.alertType = ALERT_TYPE;
        alert.serviceName = last.serviceName;
        alert.operationName = last.operationName;
        alert.metric = last.metric;
        alert.thresholdValue = last.limit;
        alert.actualValue = last.value;
        alert.deviationPercent = AlertTexts.deviationPercent(last.value, last.limit);
        alert.evaluationTimestamp = last.eventTime;
        alert.windowEnd = last.eventTime;
        return alert;
    }

    /**
     * What a subject keeps: its evaluations since the last match that can still start one (at most M − 1, the
     * first a breach less than T old), the evaluations inside the limit in a row, and its open incident. A Flink
     * POJO.
     */
    public static class Recent {
        /** Event times of the kept evaluations, oldest first. */
        public long[] times = new long[0];
        /** Whether each kept evaluation was over the limit. */
        public boolean[] breached = new boolean[0];
        /** Evaluations inside the limit in a row since the last breach or recovery. */
        public int insideRun;
        /** The open incident as triggered; null when none. */
        public Alert open;
        /** Event time of the last evaluation counted. */
        public long lastAt;
        /** When the subject's housekeeping timer fires next ({@link SustainedBreaches}); 0 when none is set. */
        public long housekeepingAt;

        public Recent() {}

        /** True when nothing is worth keeping: no incident, no evaluation that can start a match. */
        public boolean isEmpty() {
            return open == null && times.length == 0;
        }

        void append(long at, boolean breach) {
            times = Arrays.copyOf(times, times.length + 1);
            breached = Arrays.copyOf(breached, breached.length + 1);
            times[times.length - 1] = at;
            breached[breached.length - 1] = breach;
        }

        /**
         * Drops what can no longer start a match: more than {@code keep} back, inside the limit, T old, or followed
         * by more than {@code insideBudget} evaluations inside the limit.
         */
        void trim(long now, long withinMillis, int keep, int insideBudget) {
            int from = Math.max(0, times.length - keep);
            int inside = 0;
            for (int i = from; i < times.length; i++) {
                inside += breached[i] ? 0 : 1;
            }
            while (from < times.length
                    && (!breached[from] || now - times[from] >= withinMillis || inside > insideBudget)) {
                inside -= breached[from] ? 0 : 1;
                from++;
            }
            if (from > 0) {
                times = Arrays.copyOfRange(times, from, times.length);
                breached = Arrays.copyOfRange(breached, from, breached.length);
            }
        }
    }
}
