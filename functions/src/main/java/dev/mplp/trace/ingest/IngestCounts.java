package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetterReason;

/**
 * Names of the job accumulators that account for every input record: {@code read = accepted + dead letters}.
 * The CLI reads them from the job's result for its summary.
 */
public final class IngestCounts {
    public static final String READ = "messages-read";
    /** Source records; more than {@link #READ} counts only when one record holds many messages (OTLP). */
    public static final String RECORDS = "records-read";
    public static final String ACCEPTED = "messages-accepted";
    /** Valid messages outside a reprocessing run's event-time range: read, but neither accepted nor dead. */
    public static final String OUT_OF_RANGE = "messages-out-of-range";
    /** Accepted messages that arrived behind the watermark: archived, but left out of detection. */
    public static final String LATE = "messages-late";
    private static final String DEAD_LETTER_PREFIX = "dead-letters.";
    private static final String UNVERIFIED_PREFIX = "unverified.";

    private IngestCounts() {}

    public static String deadLetters(DeadLetterReason reason) {
        return DEAD_LETTER_PREFIX + reason.wireName();
    }

    /** Accepted messages that failed a security check in {@code verify} mode. */
    public static String unverified(dev.mplp.trace.security.SecurityCheck check) {
        return UNVERIFIED_PREFIX + check.wireName();
    }
}
