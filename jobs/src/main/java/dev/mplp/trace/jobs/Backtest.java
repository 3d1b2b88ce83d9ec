package dev.mplp.trace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.ArchiveInput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A what-if before a rule change: reprocesses the same archive range under the rules in force and under the
 * proposed ones, and writes what differs, per rule. Under {@code DIR}: {@code current/alerts/} and {@code
 * proposed/alerts/} (the two runs' alerts), and {@code diff.jsonl}, one line per incident: {@code {side, rule,
 * alert_type, subject, started_at, current_alert_id, proposed_alert_id, alert_message}} with {@code side} one of
 * {@code only_current}, {@code only_proposed}, {@code both}.
 */
public final class Backtest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Backtest() {}

    public static BacktestDiff run(
            ArchiveInput archive,
            EventTimeRange range,
            TraceAnalyticsConfig current,
            TraceAnalyticsConfig proposed,
            Path dir,
            PrintStream console)
            throws Exception {
        if (Files.exists(dir.resolve("diff.jsonl"))) {
            throw new IllegalArgumentException("--diff " + dir + " already holds a backtest; choose a new directory");
        }
        Path currentAlerts = dir.resolve("current").resolve("alerts");
        Path proposedAlerts = dir.resolve("proposed").resolve("alerts");
        console.println("Rules in force:");
        ReprocessJob.run(new ReprocessJob.Options(archive, range, new Endpoint.File(currentAlerts), null), current,
                console).print(console);
        console.println("Proposed rules:");
        ReprocessJob.run(new ReprocessJob.Options(archive, range, new Endpoint.File(proposedAlerts), null), proposed,
                console).print(console);

        BacktestDiff diff = BacktestDiff.of(readAlerts(currentAlerts), readAlerts(proposedAlerts));
        write(diff, dir.resolve("diff.jsonl"));
        console.println();
        console.printf("%-45s %14s %14s %10s%n", "rule", "only current", "only proposed", "both");
        diff.countsByRule().forEach((rule, counts) -> console.printf(
                "%-45s %,14d %,14d %,10d%n", rule, counts.onlyCurrent(), counts.onlyProposed(), counts.both()));
        console.println("Diff: " + dir.resolve("diff.jsonl"));
        return diff;
    }

    private static void write(BacktestDiff diff, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (BacktestDiff.Entry entry : diff.entries()) {
                BacktestDiff.Incident incident = entry.any();
                ObjectNode line = MAPPER.createObjectNode();
                line.put("side", entry.side().wireName());
                line.put("rule", incident.rule());
                line.put("alert_type", incident.triggered().path("alert_type").asText());
                line.put("subject", incident.subject());
                line.put("started_at", incident.triggered().path("started_at").asText());
                line.put("current_alert_id", entry.current() == null ? null
                        : entry.current().triggered().path("alert_id").asText());
                line.put("proposed_alert_id", entry.proposed() == null ? null
                        : entry.proposed().triggered().path("alert_id").asText());
                line.put("alert_message", incident.triggered().path("alert_message").asText());
                out.write(MAPPER.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    /** The alert records of a JSON-lines output directory (its committed part files). */
    public static List<JsonNode> readAlerts(Path dir) throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return alerts;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        alerts.add(MAPPER.readTree(line));
                    }
                }
            }
        }
        return alerts;
    }
}
