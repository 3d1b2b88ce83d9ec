package dev.mplp.trace.jobs;

import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.security.SecurityCheck;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did to its input: every message read is accepted or dead-lettered with a reason.
 *
 * @param read messages: one per protocol record; for OTLP two per span (start, completion), and one per span or
 *     record that could not be read
 * @param records source records; differs from {@code read} only for OTLP requests, which hold many spans
 * @param unverified accepted messages that failed a security check in {@code verify} mode, by check (only the
 *     checks with failures)
 */
public record RunSummary(
        long read,
        long accepted,
        Map<DeadLetterReason, Long> deadLetters,
        long late,
        long outOfRange,
        long records,
        Map<SecurityCheck, Long> unverified,
        Map<String, Long> alerts) {

    public static RunSummary fromAccumulators(Map<String, Object> accumulators) {
        Map<DeadLetterReason, Long> deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            long count = count(accumulators, IngestCounts.deadLetters(reason));
            if (count > 0) {
                deadLetters.put(reason, count);
            }
        }
        Map<SecurityCheck, Long> unverified = new EnumMap<>(SecurityCheck.class);
        for (SecurityCheck check : SecurityCheck.values()) {
            long count = count(accumulators, IngestCounts.unverified(check));
            if (count > 0) {
                unverified.put(check, count);
            }
        }
        Map<String, Long> alerts = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            if (name.startsWith(CountAlerts.PREFIX) && value instanceof Number number) {
                alerts.put(name.substring(CountAlerts.PREFIX.length()), number.longValue());
            }
        });
        return new RunSummary(
                count(accumulators, IngestCounts.READ),
                count(accumulators, IngestCounts.ACCEPTED),
                deadLetters,
                count(accumulators, IngestCounts.LATE),
                count(accumulators, IngestCounts.OUT_OF_RANGE),
                count(accumulators, IngestCounts.RECORDS),
                unverified,
                alerts);
    }

    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every record read is accounted for. */
    public boolean balanced() {
        return read == accepted + deadLettered() + outOfRange;
    }

    public String progressLine() {
        return String.format("read %,d · accepted %,d · dead-lettered %,d", read, accepted, deadLettered());
    }

    public void print(PrintStream out) {
        if (records != read) {
            out.printf("records read                    %,12d%n", records);
        }
        out.printf("messages read                   %,12d%n", read);
        out.printf("accepted                        %,12d%n", accepted);
        unverified.forEach((check, count) ->
                out.printf("  unverified %-19s%,12d%n", check.wireName(), count));
        out.printf("dead-lettered                   %,12d%n", deadLettered());
        deadLetters.forEach((reason, count) -> out.printf("  %-30s%,12d%n", reason.wireName(), count));
        out.printf("late (accepted, not detected)   %,12d%n", late);
        if (outOfRange > 0) {
            out.printf("outside the event-time range    %,12d%n", outOfRange);
        }
        out.println("alerts sent (type, evaluation result):");
        if (alerts.isEmpty()) {
            out.println("  none");
        }
        alerts.forEach((typeAndResult, count) -> out.printf("  %-50s%,8d%n", typeAndResult, count));
        if (!balanced()) {
            out.println("WARNING: read != accepted + dead-lettered + out of range (a restart re-counts records it re-reads)");
        }
    }

    private static long count(Map<String, Object> accumulators, String name) {
        Object value = accumulators.get(name);
        return value instanceof Number number ? number.longValue() : 0L;
    }
}
