package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.IncompleteSpanRule;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.functions.SustainedBreaches;
import dev.mplp.trace.functions.ThresholdRule;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input every peer of row 7 detects on, parsed once and held in memory, so that the row times detection alone:
 * the accepted messages of a corpus, each once (first copy of a {@code message_id}), in the order the pipeline's
 * sequencing releases them (event time, then protocol order, then {@code message_id}), with the span's service and
 * operation filled in from its start as the sequencing does.
 *
 * @param evaluations the input of {@code sustained_breach}: one {@link MetricEvaluation} per watched value of every
 *     update and metrics message of a span whose start was seen, against its trace's limit (as
 *     the span session makes them, {@link ThresholdRule#evaluations}), in event-time order, ties as
 *     {@link SustainedBreaches} orders them
 * @param startsAndCompletions the input of {@code incomplete_span}: the starts and completions, in order
 * @param timeoutMillis each start's own timeout, by span key ({@code trace_id/span_id})
 */
record PeerEvents(List<MetricEvaluation> evaluations, List<TraceEvent> startsAndCompletions,
        Map<String, Long> timeoutMillis) {

    private static final Comparator<TraceEvent> RELEASE_ORDER = Comparator.<TraceEvent>comparingLong(e -> e.eventTime)
            .thenComparingInt(e -> SpanSession.protocolOrder(e.messageType))
            .thenComparing(e -> e.messageId, Comparator.nullsLast(Comparator.naturalOrder()));

    /** The first {@code share} of each input (for a warm-up). */
    PeerEvents head(double share) {
        return new PeerEvents(evaluations.subList(0, (int) (evaluations.size() * share)),
                startsAndCompletions.subList(0, (int) (startsAndCompletions.size() * share)), timeoutMillis);
    }

    /** Events fed to the detectors in all. */
    long size() {
        return evaluations.size() + startsAndCompletions.size();
    }

    static PeerEvents of(List<byte[]> lines, TraceAnalyticsConfig config) {
        MessageValidator validator = new MessageValidator(config.ingest().maxMessageBytes(),
                config.ingest().deadLetterPayloadBytes(), new HashSet<>(config.ingest().protocolVersions()));
        Set<String> seen = new HashSet<>();
        List<TraceEvent> events = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            Validated result = validator.validate(new RawMessage(line, line.length, "peers", 0L));
            if (result.isAccepted() && seen.add(result.event().messageId)) {
                // as the pipeline hands them to the detectors without an OTLP span export
                events.add(result.event().withoutPayloadOrSpanDetails());
            }
        }
        events.sort(RELEASE_ORDER);

        Map<String, TraceEvent> startOf = new HashMap<>();
        // the limits the span session evaluates against: the start's until the completion (the names are kept)
        Map<String, Thresholds> limits = new HashMap<>();
        List<MetricEvaluation> evaluations = new ArrayList<>();
        List<TraceEvent> startsAndCompletions = new ArrayList<>();
        Map<String, Long> timeouts = new HashMap<>();
        IncompleteSpanRule incomplete = new IncompleteSpanRule(config);
        ThresholdRule thresholds = new ThresholdRule(config.detection());
        for (TraceEvent event : events) {
            String span = SpanSession.key(event);
            if (event.messageType == MessageType.START) {
                startOf.put(span, event);
                limits.put(span, event.thresholds);
                timeouts.put(span, incomplete.timeoutMillis(event.thresholds));
                startsAndCompletions.add(event);
                continue;
            }
            TraceEvent start = startOf.get(span);
            if (start != null) {
                event.serviceName = start.serviceName;
                event.operationName = start.operationName;
            }
            if (event.messageType == MessageType.COMPLETE) {
                startsAndCompletions.add(event);
                limits.remove(span);
            } else if (start != null) {
                thresholds.evaluations(event, limits.get(span), evaluations::add);
            }
        }
        evaluations.sort(Comparator.<MetricEvaluation>comparingLong(e -> e.eventTime)
                .thenComparing(SustainedBreaches.SAME_TIME_ORDER));
        return new PeerEvents(List.copyOf(evaluations), List.copyOf(startsAndCompletions), Map.copyOf(timeouts));
    }
}
