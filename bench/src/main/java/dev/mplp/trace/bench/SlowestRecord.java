package dev.mplp.trace.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The longest a single record spends in validation with PII masking on (the configured attribute keys and
 * detectors): over the corpus sample and the hostile records that once overflowed the stack or took minutes
 * (a megabyte of letters, a 10,000-character {@code user_id} value, a 100,000-character attribute value). What
 * one record can hold a checkpoint back by.
 */
final class SlowestRecord {

    /** The slowest record's validation time and what the record was. */
    record Slowest(double milliseconds, String record, int records) {}

    private record Named(String name, byte[] bytes) {}

    static final int TIMED_RUNS = 3;

    private SlowestRecord() {}

    static Slowest measure(List<byte[]> sample, SecurityConfig.Pii pii, Set<String> protocolVersions,
            long maxMessageBytes) throws IOException {
        SecurityConfig off = SecurityConfig.disabled();
        SecurityConfig masking = new SecurityConfig(off.integrity(), off.authentication(),
                new SecurityConfig.Pii(true, null, pii.attributeKeys(), pii.detectors()));
        MessageValidator validator = new MessageValidator(maxMessageBytes, 65536, protocolVersions,
                new MessageSecurity(masking, new Secrets(Map.of(Secrets.PII_KEY_ENV, "bench-pii-key-0123456789abcdef")))
                        .load());
        List<Named> records = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            records.add(new Named("corpus message " + (i + 1), sample.get(i)));
        }
        records.addAll(hostile(sample.get(0), maxMessageBytes));
        // one untimed pass for the JIT, then each record timed on its own, its best of a few runs: what the record
        // costs, not a garbage collection or another process that happened to interrupt it
        records.forEach(r -> validator.validate(new RawMessage(r.bytes(), r.bytes().length, "bench", 0L)));
        double slowest = -1;
        String which = null;
        for (Named r : records) {
            double millis = Double.MAX_VALUE;
            for (int run = 0; run < TIMED_RUNS; run++) {
                long start = System.nanoTime();
                validator.validate(new RawMessage(r.bytes(), r.bytes().length, "bench", 0L));
                millis = Math.min(millis, (System.nanoTime() - start) / 1e6);
            }
            if (millis > slowest) {
                slowest = millis;
                which = r.name();
            }
        }
        return new Slowest(slowest, which, records.size());
    }

    /** The records of issue 15, built on a message of the corpus. */
    private static List<Named> hostile(byte[] message, long maxMessageBytes) throws IOException {
        String longUserId = "b".repeat(10_000);
        ObjectNode base = (ObjectNode) Json.mapper().readTree(message);
        ObjectNode withLongValue = base.deepCopy();
        withLongValue.put("note", "x1".repeat(50_000));
        ObjectNode withLongUserId = base.deepCopy();
        withLongUserId.put("note", "{\"user_id\": \"" + longUserId + "\"}");
        return List.of(
                new Named("a line of letters over the size limit", letters((int) maxMessageBytes + 1000)),
                new Named("a line of letters just under the size limit", letters((int) maxMessageBytes - 1)),
                new Named("an unparsable record with a 10,000-character user_id",
                        ("{\"user_id\":\"" + longUserId).getBytes(StandardCharsets.UTF_8)),
                new Named("a message with a 10,000-character user_id in a text value",
                        Json.mapper().writeValueAsBytes(withLongUserId)),
                new Named("a message with a 100,000-character value of letters and digits",
                        Json.mapper().writeValueAsBytes(withLongValue)));
    }

    private static byte[] letters(int count) {
        return "a".repeat(count).getBytes(StandardCharsets.US_ASCII);
    }
}
