package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.security.SecurityCheck;
import java.util.Set;

/**
 * The outcome of {@link MessageValidator#validate}: exactly one of an accepted {@link TraceEvent} or a
 * {@link DeadLetter}.
 *
 * @param event the accepted message, or null when rejected
 * @param deadLetter why the message was rejected, or null when accepted
 * @param unverified the security checks an accepted message failed in {@code verify} mode; empty otherwise
 */
public record Validated(TraceEvent event, DeadLetter deadLetter, Set<SecurityCheck> unverified) {

    public Validated {
        if ((event == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of event and deadLetter must be given");
        }
        unverified = Set.copyOf(unverified);
    }

    public Validated(TraceEvent event, DeadLetter deadLetter) {
        this(event, deadLetter, Set.of());
    }

    /** An accepted message that failed {@code verify}-mode checks. */
    public static Validated acceptedUnverified(TraceEvent event, Set<SecurityCheck> unverified) {
        return new Validated(event, null, unverified);
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
