package dev.mplp.trace.ingest;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.security.SecretException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when validating one record throws: a failure the record caused (any exception, or an error such as
 * a stack overflow that its content provoked) becomes an {@code internal_error} dead letter, so that no record can
 * fail or restart the job; a failure that is not the record's doing (a key that cannot be read, an exhausted heap,
 * a missing class) is rethrown and fails the job, since every following record would fail the same way.
 */
final class RecordFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RecordFailures.class);
    /** The kinds already logged in this JVM: one stack trace per kind, not one per record. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private RecordFailures() {}

    /**
     * Rethrows a failure that is not the record's doing; otherwise logs it (the first of its kind, with its stack
     * trace) and returns its {@code detail}: the exception's class.
     */
    static String recordsFault(Throwable failure, RawMessage raw) {
        if (!isRecordsFault(failure)) {
            throwUnchecked(failure);
        }
        String kind = failure.getClass().getName();
        if (LOGGED.add(kind)) {
            LOG.error("Validating the record at {} failed with {}: dead-lettered as internal_error (further {} "
                    + "are counted, not logged)", raw == null ? null : raw.sourcePosition, kind, kind, failure);
        }
        return kind;
    }

    /** A stack overflow comes from the record's content; the other virtual machine errors do not. */
    static boolean isRecordsFault(Throwable failure) {
        if (failure instanceof StackOverflowError) {
            return true;
        }
        return !(failure instanceof VirtualMachineError
                || failure instanceof LinkageError
                || failure instanceof SecretException);
    }

    /**
     * The dead letter of a record whose validation failed, when nothing safer is at hand: without its payload,
     * since the failure may lie in the masking that must come before any output.
     */
    static DeadLetter deadLetter(RawMessage raw, String detail) {
        long size = raw == null ? 0L : Math.max(raw.sizeBytes, raw.body == null ? 0 : raw.body.length);
        return new DeadLetter(DeadLetterReason.INTERNAL_ERROR, detail, null,
                raw == null ? null : raw.sourcePosition, raw == null ? 0L : raw.ingestTime, "", size, size > 0);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable failure) throws T {
        throw (T) failure;
    }
}
