package dev.mplp.trace.cep;

import dev.mplp.trace.functions.AlertTexts;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * {@code sustained_breach}: the same (service, operation, metric) over its limit in at least N
 * ({@code patterns.sustained-breach.breaches}) of M ({@code …evaluations}) consecutive evaluations, first to last
 * within T ({@code …within}). A single spike never fires it (N is at least 2).
 *
 * <p><b>Evaluation.</b> One {@link MetricEvaluation}: a value of a {@link WatchedMetric} in an update or metrics
 * message of any span of the (service, operation), against the limit of that span's trace. The evaluations of one
 * (service, operation, metric) are taken in event-time order (ties by trace and span), across its spans.
 *
 * <p><b>Pattern</b> ({@link #breachPattern}), with strict contiguity: a {@code breach}, then {@code in-between}
 * evaluations (optional; at most N − 2 of them breaches and at most M − N not), then the breach that makes N,
 * {@code still-breaching}: at most M evaluations in all. After a match it starts afresh past its last event.
 *
 * <p><b>Incident.</b> Triggered on the first match; matches while it is open are dropped. Resolved
 * ({@link AlertResolution#RECOVERED}) by M − N + 1 consecutive evaluations inside the limit
 * ({@link #recoveryPattern}): from then on the last M evaluations can no longer hold N breaches.
 */
public final class SustainedBreach {

    public static final String ALERT_TYPE = "sustained_breach";
    static final String STAGE_BREACH = "breach";
    static final String STAGE_IN_BETWEEN = "in-between";
    static final String STAGE_STILL_BREACHING = "still-breaching";
    static final String STAGE_BACK_INSIDE = "back-inside";

    private SustainedBreach() {}

    /** The alert's {@code alertRuleId} for a metric: {@code sustained.cpu_usage_percent}, … */
    public static String ruleId(String metric) {
        return "sustained." + metric;
    }

    /**
     * Wires the pattern: {@code spans} is the pipeline's span messages in event-time order (service and
     * operation filled in, as {@code SpanSession} emits them), keyed by {@link SpanSession#key};
     * returns the {@code sustained_breach} incidents, triggered and resolved.
     */
    public static DataStream<Alert> detect(KeyedStream<TraceEvent, String> spans, TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.SustainedBreach sustained = config.patterns().sustainedBreach();
        KeyedStream<MetricEvaluation, String> evaluations = spans
                .process(new MetricEvaluations(config.detection()))
                .name("sustained-breach-evaluations")
                .uid("sustained-breach-evaluations")
                .keyBy(MetricEvaluation::subject);
        DataStream<Alert> matches = CEP.pattern(evaluations, breachPattern(sustained), new SameTimeOrder())
                .inEventTime()
                .process(new BreachAlerts(sustained))
                .name("sustained-breach-pattern")
                .uid("sustained-breach-pattern");
        DataStream<Alert> recoveries = CEP.pattern(evaluations, recoveryPattern(sustained), new SameTimeOrder())
                .inEventTime()
                .process(new RecoverySignals(sustained))
                .name("sustained-breach-recovery-pattern")
                .uid("sustained-breach-recovery-pattern");
        return matches.union(recoveries)
                .keyBy(IncidentTracker::subjectOf)
                .process(IncidentTracker.resolvedByRecovery())
                .name("sustained-breach-incidents")
                .uid("sustained-breach-incidents");
    }

    /** N breaches among at most M consecutive evaluations, within T. */
    static Pattern<MetricEvaluation, MetricEvaluation> breachPattern(TraceAnalyticsConfig.SustainedBreach sustained) {
        return Pattern.<MetricEvaluation>begin(STAGE_BREACH, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new Breaching())
                .next(STAGE_IN_BETWEEN)
                .where(new InBetween(sustained.breaches(), sustained.evaluations()))
                .oneOrMore()
                .optional()
                .consecutive()
                .next(STAGE_STILL_BREACHING)
                .where(new CompletesBreach(sustained.breaches()))
                .within(sustained.within());
    }

    /** M − N + 1 consecutive evaluations inside the limit. */
    static Pattern<MetricEvaluation, MetricEvaluation> recoveryPattern(TraceAnalyticsConfig.SustainedBreach sustained) {
        return Pattern.<MetricEvaluation>begin(STAGE_BACK_INSIDE, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new Inside())
                .times(sustained.evaluations() - sustained.breaches() + 1)
                .consecutive();
    }

    public static class Breaching extends SimpleCondition<MetricEvaluation> {
        @Override
        public boolean filter(MetricEvaluation evaluation) {
            return evaluation.breached;
        }
    }

    public static class Inside extends SimpleCondition<MetricEvaluation> {
        @Override
        public boolean filter(MetricEvaluation evaluation) {
            return !evaluation.breached;
        }
    }

    /**
     * Takes an evaluation between the first breach and the last while the budget allows: a breach while fewer than
     * N − 2 are in between (the N-th is for {@link CompletesBreach}), an evaluation inside the limit while fewer
     * than M − N are.
     */
    public static class InBetween extends IterativeCondition<MetricEvaluation> {
        private final int breaches;
        private final int evaluations;

        public InBetween(int breaches, int evaluations) {
            this.breaches = breaches;
            this.evaluations = evaluations;
        }

        @Override
        public boolean filter(MetricEvaluation evaluation, Context<MetricEvaluation> ctx) throws Exception {
            int breachesSoFar = 0;
            int insideSoFar = 0;
            for (MetricEvaluation taken : ctx.getEventsForPattern(STAGE_IN_BETWEEN)) {
                if (taken.breached) {
                    breachesSoFar++;
                } else {
                    insideSoFar++;
                }
            }
            return evaluation.breached ? breachesSoFar < breaches - 2 : insideSoFar < evaluations - breaches;
        }
    }

    /** The breach that makes N: N − 2 breaches are in between. */
    public static class CompletesBreach extends IterativeCondition<MetricEvaluation> {
        private final int breaches;

        public CompletesBreach(int breaches) {
            this.breaches = breaches;
        }

        @Override
        public boolean filter(MetricEvaluation evaluation, Context<MetricEvaluation> ctx) throws Exception {
            if (!evaluation.breached) {
                return false;
            }
            int breachesSoFar = 0;
            for (MetricEvaluation taken : ctx.getEventsForPattern(STAGE_IN_BETWEEN)) {
                if (taken.breached) {
                    breachesSoFar++;
                }
            }
            return breachesSoFar == breaches - 2;
        }
    }

    /** Evaluations at the same event time in a fixed order (trace, span, metric), so every run matches alike. */
    static class SameTimeOrder implements EventComparator<MetricEvaluation> {
        private static final Comparator<MetricEvaluation> ORDER = Comparator.<MetricEvaluation, String>comparing(
                        e -> e.traceId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(e -> e.spanId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingDouble(e -> e.value);

        @Override
        public int compare(MetricEvaluation a, MetricEvaluation b) {
            return ORDER.compare(a, b);
        }
    }

    /** Turns a match into a triggered {@code sustained_breach} alert about the (service, operation). */
    static class BreachAlerts extends PatternProcessFunction<MetricEvaluation, Alert> {
        private final int breaches;
        private final int evaluations;

        BreachAlerts(TraceAnalyticsConfig.SustainedBreach sustained) {
            this.breaches = sustained.breaches();
            this.evaluations = sustained.evaluations();
        }

        @Override
        public void processMatch(Map<String, List<MetricEvaluation>> match, Context ctx, Collector<Alert> out) {
            List<MetricEvaluation> all = new ArrayList<>(match.get(STAGE_BREACH));
            all.addAll(match.getOrDefault(STAGE_IN_BETWEEN, List.of()));
            all.addAll(match.get(STAGE_STILL_BREACHING));
            MetricEvaluation first = all.get(0);
            MetricEvaluation last = all.get(all.size() - 1);
            long breached = all.stream().filter(e -> e.breached).count();
            String subject = first.serviceName + "/" + first.operationName;
            Alert alert = new Alert();
            alert.alertType = ALERT_TYPE;
            alert.alertRuleId = ruleId(first.metric);
            alert.alertRuleName = "Sustained " + first.metric + " breach";
            alert.alertId = Alert.idOf(ALERT_TYPE, subject, alert.alertRuleId, first.eventTime);
            alert.evaluationResult = AlertState.TRIGGERED;
            alert.severity = Severity.WARNING;
            alert.serviceName = first.serviceName;
            alert.operationName = first.operationName;
            alert.metric = first.metric;
            alert.thresholdValue = last.limit;
            alert.actualValue = last.value;
            alert.deviationPercent = AlertTexts.deviationPercent(last.value, last.limit);
            alert.windowStart = first.eventTime;
            alert.windowEnd = last.eventTime;
            alert.evaluationTimestamp = last.eventTime;
            alert.startedAt = first.eventTime;
            alert.alertMessage = first.metric + " above its limit in " + breached + " of " + all.size()
                    + " consecutive evaluations of " + first.serviceName + " " + first.operationName + " (at least "
                    + breaches + " of " + evaluations + " make it sustained), the last "
                    + AlertTexts.number(last.value) + " against " + AlertTexts.number(last.limit);
            alert.recommendedActions = new String[] {
                "Look at " + first.metric + " of " + first.serviceName + " over the last minutes",
                "Scale the service out or find what keeps it over its limit"
            };
            out.collect(alert);
        }
    }

    /** Turns M − N + 1 evaluations inside the limit into the recovery signal of the (service, operation, metric). */
    static class RecoverySignals extends PatternProcessFunction<MetricEvaluation, Alert> {
        private final int inside;

        RecoverySignals(TraceAnalyticsConfig.SustainedBreach sustained) {
            this.inside = sustained.evaluations() - sustained.breaches() + 1;
        }

        @Override
        public void processMatch(Map<String, List<MetricEvaluation>> match, Context ctx, Collector<Alert> out) {
            List<MetricEvaluation> back = match.get(STAGE_BACK_INSIDE);
            MetricEvaluation last = back.get(back.size() - 1);
            Alert signal = new Alert();
            signal.alertType = ALERT_TYPE;
            signal.evaluationResult = AlertState.RESOLVED;
            signal.resolution = AlertResolution.RECOVERED;
            signal.serviceName = last.serviceName;
            signal.operationName = last.operationName;
            signal.metric = last.metric;
            signal.actualValue = last.value;
            signal.thresholdValue = last.limit;
            signal.deviationPercent = AlertTexts.deviationPercent(last.value, last.limit);
            signal.evaluationTimestamp = last.eventTime;
            signal.windowEnd = last.eventTime;
            signal.alertMessage = last.metric + " of " + last.serviceName + " " + last.operationName
                    + " back within its limit in " + inside + " consecutive evaluations, the last "
                    + AlertTexts.number(last.value) + " against " + AlertTexts.number(last.limit);
            out.collect(signal);
        }
    }
}
