package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
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
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@code incomplete_span}: a span that started and did not complete in time.
 *
 * <p><b>Timeout.</b> The trace's own {@code alert_thresholds.duration_ms} (else
 * {@code detection.thresholds.defaults.duration-ms}) times {@code patterns.incomplete-span.timeout-factor}, at
 * most {@code patterns.incomplete-span.max-timeout}.
 *
 * <p><b>How.</b> Keyed by span, the pattern is a start followed by the span's completion within the maximum
 * timeout. CEP's {@code within} is one duration for every key, so the span's own, shorter, timeout is applied to
 * the outcome: a match whose completion came after the span's own timeout still reports the span as incomplete
 * from its timeout on; a partial match that times out ({@link TimedOutPartialMatchHandler}) reports the span as
 * incomplete from its own timeout on (the alert is emitted when the watermark passes the maximum timeout; its
 * times are those of the span's own timeout).
 *
 * <p><b>Incident.</b> Per span, its {@code alertId} from the span and the time it became incomplete. Resolved
 * ({@link AlertResolution#SPAN_COMPLETED}) by the span's completion whenever it comes; a span that never completes
 * is given up ({@link AlertResolution#SPAN_EXPIRED}) {@code detection.span.inactivity-timeout} after it became
 * incomplete, and at the end of a bounded input.
 */
public final class IncompleteSpan {

    public static final String ALERT_TYPE = "incomplete_span";
    public static final String RULE_ID = "pattern.incomplete_span";
    static final String STAGE_START = "start";
    static final String STAGE_COMPLETION = "completion";

    /** Where the pattern function puts the spans whose partial match timed out. */
    static final OutputTag<Alert> TIMED_OUT = new OutputTag<>("incomplete-spans-timed-out") {};

    private IncompleteSpan() {}

    /**
     * Wires the pattern: {@code spans} is the pipeline's span messages in event-time order (as
     * {@code SpanSession} emits them), keyed by {@link SpanSession#key}; returns the
     * {@code incomplete_span} incidents, triggered and resolved.
     */
    public static DataStream<Alert> detect(KeyedStream<TraceEvent, String> spans, TraceAnalyticsConfig config) {
        DataStream<TraceEvent> startsAndCompletions = spans
                .filter(event -> event.messageType == MessageType.START || event.messageType == MessageType.COMPLETE)
                .name("incomplete-span-starts-and-completions")
                // keyed (it filters the keyed stream), so it is in savepoints, stateless as it is
                .uid("incomplete-span-starts-and-completions");
        // a filter of a keyed stream, forwarded: still partitioned by span
        SingleOutputStreamOperator<Alert> matched = CEP.pattern(
                        SpanSession.keyedAsReleased(startsAndCompletions),
                        pattern(config.patterns().incompleteSpan()))
                .inEventTime()
                .process(new IncompleteSpanAlerts(config))
                .name("incomplete-span-pattern")
                .uid("incomplete-span-pattern");
        DataStream<Alert> completions = startsAndCompletions
                .filter(new IsCompletion())
                .name("incomplete-span-completions")
                .map(IncompleteSpan::completionSignal)
                .name("incomplete-span-completion-signals");
        return matched.union(matched.getSideOutput(TIMED_OUT), completions)
                .keyBy(IncidentTracker::subjectOf)
                .process(IncidentTracker.resolvedWhenIdle(
                        config.detection().span().inactivityTimeout(),
                        AlertResolution.SPAN_EXPIRED,
                        "the span sent no completion for "
                                + AlertTexts.text(config.detection().span().inactivityTimeout())))
                .name("incomplete-span-incidents")
                .uid("incomplete-span-incidents");
    }

    /** A start followed by its span's completion (the stream is keyed by span), within the maximum timeout. */
    static Pattern<TraceEvent, TraceEvent> pattern(TraceAnalyticsConfig.IncompleteSpan incomplete) {
        return Pattern.<TraceEvent>begin(STAGE_START, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new IsStart())
                .followedBy(STAGE_COMPLETION)
                .where(new IsCompletion())
                .within(incomplete.maxTimeout());
    }

    /** The span's own timeout, in ms. */
    static long timeoutMillis(TraceEvent start, TraceAnalyticsConfig config) {
        Double own = start.thresholds == null ? null : start.thresholds.durationMs;
        double limit = own != null ? own : config.detection().thresholds().defaults().durationMs();
        double timeout = limit * config.patterns().incompleteSpan().timeoutFactor();
        return (long) Math.min(timeout, config.patterns().incompleteSpan().maxTimeout().toMillis());
    }

    /** A completion as the recovery signal of its span's incident. */
    static Alert completionSignal(TraceEvent completion) {
        Alert signal = subject(completion);
        signal.evaluationResult = AlertState.RESOLVED;
        signal.resolution = AlertResolution.SPAN_COMPLETED;
        signal.evaluationTimestamp = completion.eventTime;
        signal.actualValue = completion.measurements == null ? null : completion.measurements.durationMs;
        signal.alertMessage = "span " + completion.spanId + " of trace " + completion.traceId
                + " completed after all" + (signal.actualValue == null ? "" : ", after " + AlertTexts.number(
                        signal.actualValue) + " ms");
        return signal;
    }

    private static Alert subject(TraceEvent event) {
        Alert alert = new Alert();
        alert.alertType = ALERT_TYPE;
        alert.serviceName = event.serviceName;
        alert.operationName = event.operationName;
        alert.traceId = event.traceId;
        alert.spanId = event.spanId;
        alert.metric = "duration_ms";
        return alert;
    }

    public static class IsStart extends SimpleCondition<TraceEvent> {
        @Override
        public boolean filter(TraceEvent event) {
            return event.messageType == MessageType.START;
        }
    }

    public static class IsCompletion extends SimpleCondition<TraceEvent> {
        @Override
        public boolean filter(TraceEvent event) {
            return event.messageType == MessageType.COMPLETE;
        }
    }

    /** Reports a span incomplete when its completion came after its own timeout, or not within the maximum one. */
    static class IncompleteSpanAlerts extends PatternProcessFunction<TraceEvent, Alert>
            implements TimedOutPartialMatchHandler<TraceEvent> {
        private final TraceAnalyticsConfig config;

        IncompleteSpanAlerts(TraceAnalyticsConfig config) {
            this.config = config;
        }

        @Override
        public void processMatch(Map<String, List<TraceEvent>> match, Context ctx, Collector<Alert> out) {
            TraceEvent start = match.get(STAGE_START).get(0);
            TraceEvent completion = match.get(STAGE_COMPLETION).get(0);
            long timeout = timeoutMillis(start, config);
            if (completion.eventTime - start.eventTime > timeout) {
                out.collect(incomplete(start, timeout));
            }
        }

        @Override
        public void processTimedOutMatch(Map<String, List<TraceEvent>> match, Context ctx) {
            TraceEvent start = match.get(STAGE_START).get(0);
            ctx.output(TIMED_OUT, incomplete(start, timeoutMillis(start, config)));
        }

        private static Alert incomplete(TraceEvent start, long timeout) {
            long at = start.eventTime + timeout;
            Alert alert = subject(start);
            alert.alertId = Alert.idOf(ALERT_TYPE, SpanSession.key(start), RULE_ID, at);
            alert.alertRuleId = RULE_ID;
            alert.alertRuleName = "Incomplete span";
            alert.evaluationResult = AlertState.TRIGGERED;
            alert.severity = Severity.WARNING;
            alert.thresholdValue = (double) timeout;
            alert.actualValue = (double) timeout;
            alert.windowStart = start.eventTime;
            alert.windowEnd = at;
            alert.evaluationTimestamp = at;
            alert.startedAt = at;
            alert.alertMessage = "span " + start.spanId + " of trace " + start.traceId + " (" + start.serviceName
                    + " " + start.operationName + ") has not completed " + AlertTexts.text(Duration.ofMillis(timeout))
                    + " after its start";
            alert.recommendedActions = new String[] {
                "Check whether " + start.serviceName + " is stuck or crashed while running " + start.operationName,
                "Look at the span's last update and its child spans"
            };
            return alert;
        }
    }
}
