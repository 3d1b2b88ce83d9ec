package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.BOOLEAN;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT64;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.DeadLetter;

/**
 * {@code dead_letters/}: every record that was not accepted, with its reason and its raw payload (cut to
 * {@code ingest.dead-letter-payload-bytes}, flagged by {@code payload_truncated}). Partitioned by event time like the
 * other tables where the record has one that could be read ({@code event_time}: a duplicate's, a parsed message's
 * valid time), so that a replay of old data lands where the live run put it; by its ingest time otherwise (the
 * record may not even be JSON). {@code partition_time_source} says which: {@code event_time} or {@code ingest_time}.
 */
public final class DeadLettersTable {

    /** {@code partition_time_source} of a row placed by its record's event time. */
    public static final String BY_EVENT_TIME = "event_time";

    /** {@code partition_time_source} of a row placed by the time it was read. */
    public static final String BY_INGEST_TIME = "ingest_time";

    public static final ArchiveTable<DeadLetter> TABLE = ArchiveTable.<DeadLetter>builder(
                    "dead_letters", 2, letter -> letter.eventTime != null ? letter.eventTime : letter.ingestTime)
            .required("reason", STRING, d -> d.reason == null ? null : d.reason.wireName())
            .optional("detail", STRING, d -> d.detail)
            .optional("message_id", STRING, d -> d.messageId)
            .optional("source_position", STRING, d -> d.sourcePosition)
            .optional("event_time", TIMESTAMP, d -> d.eventTime)
            .required("ingest_time", TIMESTAMP, d -> d.ingestTime)
            .required("partition_time_source", STRING, d -> d.eventTime != null ? BY_EVENT_TIME : BY_INGEST_TIME)
            .optional("raw_payload", STRING, d -> d.rawPayload)
            .required("raw_payload_bytes", INT64, d -> d.rawPayloadBytes)
            .required("payload_truncated", BOOLEAN, d -> d.payloadTruncated)
            .build();

    private DeadLettersTable() {}
}
