package dev.mplp.trace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the incidents two sets of rules raised over the same input: per rule, the incidents only the rules in
 * force raised, only the proposed rules raised, and both did.
 *
 * <p>Two incidents are the same when they have the same rule, alert type and subject (the span, else the service and
 * operation) and their times overlap: a changed threshold moves when an incident starts, and so its {@code
 * alert_id}, without making it another incident.
 */
public final class BacktestDiff {

    /** Which rules raised an incident. */
    public enum Side {
        ONLY_CURRENT("only_current"),
        ONLY_PROPOSED("only_proposed"),
        BOTH("both");

        private final String wireName;

        Side(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One incident: its triggered record, and the end of its time (its resolution, else open: the end of time). */
    public record Incident(JsonNode triggered, long startedAt, long endedAt) {
        String rule() {
            return triggered.path("alert_rule_id").asText();
        }

        String matchKey() {
            return triggered.path("alert_type").asText() + "|" + rule() + "|" + subject();
        }

        String subject() {
            return triggered.path("span_id").isNull() || triggered.path("span_id").isMissingNode()
                    ? triggered.path("service_name").asText() + "/" + triggered.path("operation_name").asText()
                    : triggered.path("trace_id").asText() + "/" + triggered.path("span_id").asText();
        }

        boolean overlaps(Incident other) {
            return startedAt <= other.endedAt && other.startedAt <= endedAt;
        }
    }

    /** One line of the diff. */
    public record Entry(Side side, Incident current, Incident proposed) {
        public Incident any() {
            return current != null ? current : proposed;
        }
    }

    /** Per rule: how many incidents on each side. */
    public record RuleCounts(long onlyCurrent, long onlyProposed, long both) {}

    private final List<Entry> entries;

    private BacktestDiff(List<Entry> entries) {
        this.entries = entries;
    }

    /** Diffs two sets of alert records (JSON, as the alert outputs write them). */
    public static BacktestDiff of(Collection<JsonNode> currentAlerts, Collection<JsonNode> proposedAlerts) {
        Map<String, List<Incident>> proposedByKey = new LinkedHashMap<>();
        for (Incident incident : incidents(proposedAlerts)) {
            proposedByKey.computeIfAbsent(incident.matchKey(), k -> new ArrayList<>()).add(incident);
        }
        List<Entry> entries = new ArrayList<>();
        for (Incident current : incidents(currentAlerts)) {
            List<Incident> candidates = proposedByKey.getOrDefault(current.matchKey(), List.of());
            Incident match = candidates.stream().filter(current::overlaps).findFirst().orElse(null);
            if (match == null) {
                entries.add(new Entry(Side.ONLY_CURRENT, current, null));
            } else {
                candidates.remove(match);
                entries.add(new Entry(Side.BOTH, current, match));
            }
        }
        proposedByKey.values().forEach(left -> left.forEach(p -> entries.add(new Entry(Side.ONLY_PROPOSED, null, p))));
        entries.sort(Comparator.<Entry, String>comparing(e -> e.any().rule())
                .thenComparingLong(e -> e.any().startedAt())
                .thenComparing(e -> e.any().subject()));
        return new BacktestDiff(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Counts by rule id, in rule order. */
    public Map<String, RuleCounts> countsByRule() {
        Map<String, long[]> counts = new TreeMap<>();
        for (Entry entry : entries) {
            counts.computeIfAbsent(entry.any().rule(), r -> new long[3])[entry.side().ordinal()]++;
        }
        Map<String, RuleCounts> result = new LinkedHashMap<>();
        counts.forEach((rule, c) -> result.put(rule, new RuleCounts(c[0], c[1], c[2])));
        return result;
    }

    /** Pairs each triggered record with its resolution (by alert id); incidents still open end at the end of time. */
    private static List<Incident> incidents(Collection<JsonNode> alerts) {
        Map<String, JsonNode> triggered = new LinkedHashMap<>();
        Map<String, Long> resolvedAt = new LinkedHashMap<>();
        for (JsonNode alert : alerts) {
            String id = alert.path("alert_id").asText();
            if ("triggered".equals(alert.path("evaluation_result").asText())) {
                triggered.put(id, alert);
            } else {
                resolvedAt.put(id, epochMillis(alert.path("evaluation_timestamp")));
            }
        }
        List<Incident> incidents = new ArrayList<>();
        triggered.forEach((id, alert) -> incidents.add(new Incident(
                alert, epochMillis(alert.path("started_at")), resolvedAt.getOrDefault(id, Long.MAX_VALUE))));
        return incidents;
    }

    private static long epochMillis(JsonNode instant) {
        return Instant.parse(instant.asText()).toEpochMilli();
    }
}
