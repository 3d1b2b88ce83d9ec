package dev.mplp.trace.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One finished span, joined from its start, updates and completion by {@code SpanSession}: what the RED window
 * summaries count and what the archive's {@code spans/} table holds. A Flink POJO.
 */
public class CompletedSpan {
    public String traceId;
    public String spanId;
    /** Null for a root span, or when the start was never seen. */
    public String parentSpanId;
    /** Null when the start was never seen (then the span is archived but not counted in any window). */
    public String serviceName;
    public String operationName;
    /** {@code span_kind} of the start: {@code server}, {@code client}, … */
    public String spanKind;
    /**
     * Start time, epoch ms: the start message's event time (an OTLP span's own start), else the first message seen
     * of the span.
     */
    public long startTime;
    /** End time, epoch ms: the completion's event time. */
    public long endTime;
    /** The completion's {@code total_duration_ms}, else end minus start. */
    public double durationMs;
    /** Completion {@code span_status.status_code}: {@code ok}, {@code error} or {@code unset}. */
    public String statusCode;
    /** Completion {@code execution_result.success}; null when not given. */
    public Boolean success;
    /** True when the span failed: status {@code error} or {@code success == false}. */
    public boolean error;
    /** Error events over the span's messages (error logs, failed operations). */
    public long errorCount;
    /** Messages of the span that were joined (start, updates, metrics, completion). */
    public int messageCount;
    /** The trace's own limits, from its start; null when it gave none. */
    public Thresholds thresholds;
    /*
     * The details below only the OTLP span export and the span metrics' attribute dimensions read; null unless the
     * job runs one of them (TracePipeline leaves them out of the span session's state otherwise).
     */
    /** The start's span attributes, a JSON object (with its valid W3C trace state and baggage); null for none. */
    public String attributes;
    /** The start's resource attributes, a JSON object; null for none. */
    public String resourceAttributes;
    /** The start's valid W3C {@code tracestate} members; null for none. */
    public String traceState;
    /** The completion's status message; null for none. */
    public String statusMessage;
    /** OTLP input only: the span's events and links as OTLP/JSON arrays; null for none. */
    public String events;
    public String links;
    /** OTLP input only: what of the span the other fields cannot hold, an OTLP {@code ResourceSpans}, protobuf. */
    public byte[] otlpResidual;

    public CompletedSpan() {}

    /**
     * The span as the window summaries and incidents count it: ids, names, kind, times, duration, status and counts;
     * its limits, attributes, trace state, status message, events, links and OTLP residue (most of its bytes) left
     * out. A new record.
     */
    public CompletedSpan summary() {
        CompletedSpan summary = new CompletedSpan();
        summary.traceId = traceId;
        summary.spanId = spanId;
        summary.parentSpanId = parentSpanId;
        summary.serviceName = serviceName;
        summary.operationName = operationName;
        summary.spanKind = spanKind;
        summary.startTime = startTime;
        summary.endTime = endTime;
        summary.durationMs = durationMs;
        summary.statusCode = statusCode;
        summary.success = success;
        summary.error = error;
        summary.errorCount = errorCount;
        summary.messageCount = messageCount;
        return summary;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CompletedSpan other)) {
            return false;
        }
        return startTime == other.startTime
                && endTime == other.endTime
                && Double.compare(durationMs, other.durationMs) == 0
                && error == other.error
                && errorCount == other.errorCount
                && messageCount == other.messageCount
                && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId)
                && Objects.equals(parentSpanId, other.parentSpanId)
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(operationName, other.operationName)
                && Objects.equals(spanKind, other.spanKind)
                && Objects.equals(statusCode, other.statusCode)
                && Objects.equals(success, other.success)
                && Objects.equals(thresholds, other.thresholds)
                && Objects.equals(attributes, other.attributes)
                && Objects.equals(resourceAttributes, other.resourceAttributes)
                && Objects.equals(traceState, other.traceState)
                && Objects.equals(statusMessage, other.statusMessage)
                && Objects.equals(events, other.events)
                && Objects.equals(links, other.links)
                && Arrays.equals(otlpResidual, other.otlpResidual);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId, endTime);
    }

    @Override
    public String toString() {
        return "CompletedSpan{" + serviceName + "/" + operationName + " trace=" + traceId + " span=" + spanId + " "
                + durationMs + "ms " + statusCode + (error ? " error" : "") + " ended " + endTime + "}";
    }
}
