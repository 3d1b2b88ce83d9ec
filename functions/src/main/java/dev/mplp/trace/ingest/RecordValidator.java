package dev.mplp.trace.ingest;

import dev.mplp.trace.records.RawMessage;
import java.io.Serializable;
import java.util.List;

/**
 * Turns one source record into what it holds: one outcome for a protocol message, one per span half (start,
 * completion) or rejected span for an OTLP request, or a single rejection for a record that cannot be read. Never
 * throws, and never returns an empty list, so every record is accounted for.
 */
public interface RecordValidator extends Serializable {
    List<Validated> validate(RawMessage raw);
}
