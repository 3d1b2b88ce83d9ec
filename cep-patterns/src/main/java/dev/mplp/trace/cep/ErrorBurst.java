package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.AlertTexts;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * {@code error_burst}: at least {@code patterns.error-burst.errors} error events of one service within
 * {@code patterns.error-burst.within} of event time.
 *
 * <p><b>Error event.</b> One message of the service that reports a failure ({@link IsErrorEvent}): a completion
 * whose span status is {@code error} or whose execution failed, or any message counting errors (error-level span
 * logs, failed operations: {@code errorCount > 0}). A message counts once, however many errors it reports, so that
 * one chatty span cannot make a burst by itself in one message.
 *
 * <p><b>Incident.</b> Triggered by the first match (the N-th error within the period); every further match while
 * it is open renews it; resolved ({@link AlertResolution#RECOVERED}) once the period has passed after the last
 * match without another. After each match the pattern starts afresh past its last event.
 */
public final class ErrorBurst {

    public static final String ALERT_TYPE = "error_burst";
    public static final String RULE_ID = "pattern.error_burst";
    static final String STAGE_ERRORS = "errors";

    private ErrorBurst() {}

    /**
     * Wires the pattern: {@code sequenced} is the pipeline's span messages in event-time order (service filled in,
     * as {@code SpanSession} emits them); returns the {@code error_burst} incidents, triggered and resolved.
     */
    public static DataStream<Alert> detect(DataStream<TraceEvent> sequenced, TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.ErrorBurst burst = config.patterns().errorBurst();
        long sparseOutput = SparseOutput.bufferTimeout(sequenced.getExecutionEnvironment());
        DataStream<Alert> matches = CEP.pattern(
                        sequenced
                                .filter(new IsErrorEvent())
                                .name("error-burst-error-events")
                                .keyBy(event -> event.serviceName),
                        pattern(burst))
                .inEventTime()
                .process(new BurstAlerts(burst))
                .name("error-burst-pattern")
                .uid("error-burst-pattern")
                .setBufferTimeout(sparseOutput);
        return matches.keyBy(IncidentTracker::subjectOf)
                .process(IncidentTracker.resolvedWhenIdle(
                        burst.within(),
                        AlertResolution.RECOVERED,
                        "no burst of errors for " + AlertTexts.text(burst.within())))
                .name("error-burst-incidents")
                .uid("error-burst-incidents")
                .setBufferTimeout(sparseOutput);
    }

    /** N error events of one service (the stream is keyed by service), first to last within T. */
    static Pattern<TraceEvent, TraceEvent> pattern(TraceAnalyticsConfig.ErrorBurst burst) {
        return Pattern.<TraceEvent>begin(STAGE_ERRORS, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new IsErrorEvent())
                .times(burst.errors())
                .within(burst.within());
    }

    /** A message of a known service that reports a failure. Also a filter: only these reach the pattern. */
    public static class IsErrorEvent extends SimpleCondition<TraceEvent> {
        @Override
        public boolean filter(TraceEvent event) {
            if (event.serviceName == null) {
                return false;
            }
            boolean failedCompletion = event.messageType == MessageType.COMPLETE
                    && ("error".equals(event.statusCode) || Boolean.FALSE.equals(event.success));
            boolean reportsErrors = event.measurements != null
                    && event.measurements.errorCount != null
                    && event.measurements.errorCount > 0;
            return failedCompletion || reportsErrors;
        }
    }

    /** Turns a match into a triggered {@code error_burst} alert about the service. */
    static class BurstAlerts extends PatternProcessFunction<TraceEvent, Alert> {
        private final int errors;
        private final Duration within;

        BurstAlerts(TraceAnalyticsConfig.ErrorBurst burst) {
            this.errors = burst.errors();
            this.within = burst.within();
        }

        @Override
        public void processMatch(Map<String, List<TraceEvent>> match, Context ctx, Collector<Alert> out) {
            List<TraceEvent> events = match.get(STAGE_ERRORS);
            TraceEvent first = events.get(0);
            TraceEvent last = events.get(events.size() - 1);
            Alert alert = new Alert();
            alert.alertType = ALERT_TYPE;
            alert.alertRuleId = RULE_ID;
            alert.alertRuleName = "Error burst";
            alert.alertId = Alert.idOf(ALERT_TYPE, first.serviceName, RULE_ID, first.eventTime);
            alert.evaluationResult = AlertState.TRIGGERED;
            alert.severity = Severity.WARNING;
            alert.serviceName = first.serviceName;
            alert.metric = "error_count";
            alert.thresholdValue = (double) errors;
            alert.actualValue = (double) events.size();
            alert.windowStart = first.eventTime;
            alert.windowEnd = last.eventTime;
            alert.evaluationTimestamp = last.eventTime;
            alert.startedAt = first.eventTime;
            alert.alertMessage = events.size() + " error events on " + first.serviceName + " within "
                    + AlertTexts.text(Duration.ofMillis(last.eventTime - first.eventTime))
                    + " (a burst is " + errors + " within " + AlertTexts.text(within) + "), the last in span "
                    + last.spanId + " of trace " + last.traceId;
            alert.recommendedActions = new String[] {
                "Look at the error logs of " + first.serviceName, "Check recent deployments and its dependencies"
            };
            out.collect(alert);
        }
    }
}
