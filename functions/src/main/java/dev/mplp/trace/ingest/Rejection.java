package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetterReason;

/** Thrown inside the validator when a check fails; becomes a dead letter. Carries no stack trace. */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    final DeadLetterReason reason;
    final String detail;

    Rejection(DeadLetterReason reason, String detail) {
        super(reason.wireName() + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }
}
