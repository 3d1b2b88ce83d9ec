package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.BOOLEAN;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.TraceEvent;

/**
 * {@code messages/}: every accepted message, lossless: the envelope and span fields as columns for filtering, and
 * {@code payload}, the message's JSON exactly as received. Partitioned by event time.
 */
public final class MessagesTable {

    public static final ArchiveTable<TraceEvent> TABLE = ArchiveTable.<TraceEvent>builder(
                    "messages", 1, event -> event.eventTime)
            .required("message_id", STRING, e -> e.messageId)
            .required("message_type", STRING, e -> e.messageType == null ? null : e.messageType.wireName())
            .optional("protocol_version", STRING, e -> e.protocolVersion)
            .required("event_time", TIMESTAMP, e -> e.eventTime)
            .optional("trace_id", STRING, e -> e.traceId)
            .optional("span_id", STRING, e -> e.spanId)
            .optional("parent_span_id", STRING, e -> e.parentSpanId)
            .optional("service_name", STRING, e -> e.serviceName)
            .optional("operation_name", STRING, e -> e.operationName)
            .optional("span_kind", STRING, e -> e.spanKind)
            .optional("status", STRING, e -> e.status)
            .optional("status_code", STRING, e -> e.statusCode)
            .optional("success", BOOLEAN, e -> e.success)
            .optional("sender_id", STRING, e -> e.senderId)
            .optional("correlation_id", STRING, e -> e.correlationId)
            .optional("source_position", STRING, e -> e.sourcePosition)
            .required("ingest_time", TIMESTAMP, e -> e.ingestTime)
            .required("payload", STRING, e -> e.payload)
            .distinctPerRow("message_id")
            .distinctPerRow("source_position")
            .distinctPerRow("payload")
            // a trace's or span's ids recur in a handful of rows only: a dictionary would hash every one of them,
            // fill up and fall back to plain values anyway (a quarter of deduplication's chain in a profile)
            .distinctPerRow("trace_id")
            .distinctPerRow("span_id")
            .distinctPerRow("parent_span_id")
            .distinctPerRow("correlation_id")
            .build();

    private MessagesTable() {}
}
