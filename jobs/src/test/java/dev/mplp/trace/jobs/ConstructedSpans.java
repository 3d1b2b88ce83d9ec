package dev.mplp.trace.jobs;

import dev.mplp.trace.testing.ProtocolMessages;
import java.time.Instant;
import java.util.List;

/** Spans built for a case: a start without limits of its own (the configured defaults apply) and a completion. */
final class ConstructedSpans {

    private ConstructedSpans() {}

    /** A start at {@code start} and a completion {@code durationMs} later, as two JSON lines. */
    static List<String> span(String traceId, Instant start, long durationMs) {
        String startLine = ProtocolMessages.start()
                .messageId("start-" + traceId)
                .traceId(traceId)
                .at(start)
                .removeFromBody("monitoring_configuration")
                .json();
        String completionLine = ProtocolMessages.completion()
                .messageId("complete-" + traceId)
                .traceId(traceId)
                .at(start.plusMillis(durationMs))
                .setInBody("final_metrics.total_duration_ms", durationMs)
                .json();
        return List.of(startLine, completionLine);
    }
}
