package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.TraceEvent;

/**
 * The outcome of {@link MessageValidator#validate}: exactly one of an accepted {@link TraceEvent} or a
 * {@link DeadLetter}.
 *
 * @param event the accepted message, or null when rejected
 * @param deadLetter why the message was rejected, or null when accepted
 */
public record Validated(TraceEvent event, DeadLetter deadLetter) {

    public Validated {
        if ((event == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of event and deadLetter must be given");
        }
    }

    public static Validated accepted(TraceEvent event) {
        return new Validated(event, null);
    }

    public static Validated rejected(DeadLetter deadLetter) {
        return new Validated(null, deadLetter);
    }

    /** True when the message was accepted: {@link #event()} is set and {@link #deadLetter()} is null. */
    public boolean isAccepted() {
        return event != null;
    }
}
