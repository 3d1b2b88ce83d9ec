package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.TraceEvent;
import java.util.Arrays;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the pipeline counts what dashboards show (names in {@link DashboardMetricNames}). Each is a pass-through
 * map with the same parallelism as its input, so that it chains to the operator before it and costs no shuffle.
 */
public final class DashboardMetrics {

    private DashboardMetrics() {}

    /** Accepted messages by type; {@code accepted} is the deduplicated stream. */
    public static DataStream<TraceEvent> countMessages(DataStream<TraceEvent> accepted) {
        return accepted.map(new CountByLabel<TraceEvent>(
                        DashboardMetricNames.MESSAGE_TYPE,
                        DashboardMetricNames.MESSAGES_TOTAL,
                        event -> event.messageType == null ? null : event.messageType.wireName(),
                        Arrays.stream(MessageType.values()).map(MessageType::wireName).toList()))
                .name("count-messages")
                .uid("count-messages");
    }

    /** Every dead letter, whichever operator rejected it, by reason. */
    public static DataStream<DeadLetter> countDeadLetters(DataStream<DeadLetter> deadLetters) {
        return deadLetters.map(new CountByLabel<DeadLetter>(
                        DashboardMetricNames.REASON,
                        DashboardMetricNames.DEAD_LETTERS_TOTAL,
                        deadLetter -> deadLetter.reason == null ? null : deadLetter.reason.wireName(),
                        Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::wireName).toList()))
                .name("count-dead-letters")
                .uid("count-dead-letters");
    }

    /** Calls and duration histograms per span series, as spanmetrics writes them. */
    public static DataStream<CompletedSpan> countSpans(
            DataStream<CompletedSpan> completedSpans, TraceAnalyticsConfig.SpanMetrics settings) {
        // the spans pass through, typed as they came (the session's compact strings): from the function's signature
        // Flink would give them its default POJO type, whose strings cross the next shuffles a character at a time
        return completedSpans.map(new SpanMetrics(settings))
                .returns(completedSpans.getType())
                .name("count-span-metrics")
                .uid("count-span-metrics");
    }

    /** The alerts sent (after the lifecycle), by type, severity and state, and the incidents open. */
    public static DataStream<Alert> countAlerts(DataStream<Alert> alerts) {
        return alerts.map(new AlertMetrics())
                .name("count-alerts")
                .uid("count-alerts")
                .setBufferTimeout(SparseOutput.bufferTimeout(alerts.getExecutionEnvironment()));
    }
}
