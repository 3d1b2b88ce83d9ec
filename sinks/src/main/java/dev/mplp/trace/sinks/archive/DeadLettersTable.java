package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.BOOLEAN;
import static dev.mplp.trace.sinks.archive.Column.Kind.INT64;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.DeadLetter;

/**
 * {@code dead_letters/}: every record that was not accepted, with its reason and its raw payload (cut to
 * {@code ingest.dead-letter-payload-bytes}, flagged by {@code payload_truncated}). A dead letter has no trusted event
 * time (the record may not even be JSON), so it is partitioned by its ingest time.
 */
public final class DeadLettersTable {

    public static final ArchiveTable<DeadLetter> TABLE = ArchiveTable.<DeadLetter>builder(
                    "dead_letters", 1, letter -> letter.ingestTime)
            .required("reason", STRING, d -> d.reason == null ? null : d.reason.wireName())
            .optional("detail", STRING, d -> d.detail)
            .optional("message_id", STRING, d -> d.messageId)
            .optional("source_position", STRING, d -> d.sourcePosition)
            .required("ingest_time", TIMESTAMP, d -> d.ingestTime)
            .optional("raw_payload", STRING, d -> d.rawPayload)
            .required("raw_payload_bytes", INT64, d -> d.rawPayloadBytes)
            .required("payload_truncated", BOOLEAN, d -> d.payloadTruncated)
            .build();

    private DeadLettersTable() {}
}
