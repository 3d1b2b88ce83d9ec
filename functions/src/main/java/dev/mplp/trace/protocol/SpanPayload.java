package dev.mplp.trace.protocol;

/** What the four payload bodies have in common: the span they report on and their own time field. */
public sealed interface SpanPayload permits TraceStart, TraceUpdate, TraceCompletion, MetricsCollection {

    /** {@code trace_id}: 32 lowercase hex digits (W3C trace context). */
    String traceId();

    /** {@code span_id}: 16 lowercase hex digits. */
    String spanId();

    /**
     * The body's own time, ISO-8601 text: {@code start_time}, {@code update_timestamp},
     * {@code completion_timestamp} or {@code collection_timestamp}.
     */
    String time();
}
