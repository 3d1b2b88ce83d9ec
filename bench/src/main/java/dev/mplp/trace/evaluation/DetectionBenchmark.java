package dev.mplp.trace.evaluation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The detection-quality benchmark (issue 22): every {@link Shape} of {@link SeriesGenerator}, replayed through the
 * streaming job once per configuration, scored by {@link WindowScorer}; one table per configuration, written into
 * its own subsection of the "Detection quality" section of BENCHMARKS.md (other subsections are kept), and of
 * bench/NOTES.md, the tail that {@code bench/run.sh} appends when it rewrites BENCHMARKS.md.
 *
 * <pre>
 * bench/detection.sh [--seed N] [--out FILE] --run LABEL [--set key=value ...] [--run LABEL2 ...]
 * </pre>
 */
public final class DetectionBenchmark {

    static final String SECTION = "## Detection quality (issue 22)";

    private DetectionBenchmark() {}

    public static void main(String[] args) throws Exception {
        long seed = 22;
        List<Path> out = List.of(Path.of("BENCHMARKS.md"), Path.of("bench", "NOTES.md"));
        Map<String, Map<String, String>> runs = new LinkedHashMap<>();
        String current = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = List.of(Path.of(args[++i]));
                case "--run" -> {
                    current = args[++i];
                    runs.put(current, new LinkedHashMap<>());
                }
                case "--set" -> {
                    if (current == null) {
                        throw new IllegalArgumentException("--set before any --run LABEL");
                    }
                    String[] pair = args[++i].split("=", 2);
                    if (pair.length != 2) {
                        throw new IllegalArgumentException("--set key=value, not " + args[i]);
                    }
                    runs.get(current).put(pair[0], pair[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("at least one --run LABEL");
        }
        List<LabelledSeries> series = new SeriesGenerator(seed).all();
        Path dir = Files.createTempDirectory("detection-benchmark");
        Path traffic = dir.resolve("traffic.jsonl");
        SpanReplay replay = HarnessRun.writeTraffic(series, traffic, seed);
        long messages;
        try (var lines = Files.lines(traffic)) {
            messages = lines.count();
        }
        int r = 0;
        for (Map.Entry<String, Map<String, String>> run : runs.entrySet()) {
            long started = System.nanoTime();
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            List<SeriesScore> scores =
                    HarnessRun.run(series, replay, traffic, run.getValue(), dir.resolve("run-" + r++), quiet);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            String table = table(run.getKey(), run.getValue(), seed, messages, seconds, scores);
            System.out.println(table);
            for (Path file : out) {
                writeSubsection(file, run.getKey(), table);
            }
        }
    }

    static String table(
            String label, Map<String, String> settings, long seed, long messages, long seconds,
            List<SeriesScore> scores) {
        StringBuilder s = new StringBuilder();
        s.append("### ").append(label).append("\n\n");
        s.append("- run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", seed ").append(seed)
                .append(", ").append(messages).append(" messages, ").append(seconds).append(" s\n");
        s.append("- settings: the defaults").append(settings.isEmpty() ? "" : " with " + settings)
                .append(", and the harness's ").append(HarnessRun.HARNESS_SETTINGS).append("\n\n");
        s.append("| shape | anomalies | found | delay (windows) | false incidents | new normal | precision | recall"
                + " | NAB raw |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int anomalies = 0;
        int found = 0;
        int falsePositives = 0;
        for (SeriesScore score : scores) {
            anomalies += score.anomalies();
            found += score.found();
            falsePositives += score.falsePositives();
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %.2f | %.2f | %.3f |%n",
                    score.shape().name().toLowerCase(Locale.ROOT), score.anomalies(), score.found(),
                    score.delays().isEmpty() ? "–" : score.delays().toString().replaceAll("[\\[\\]]", ""),
                    score.falsePositives(), score.newNormals(), score.precision(), score.recall(), score.raw()));
        }
        double precision = found + falsePositives == 0 ? 1 : (double) found / (found + falsePositives);
        s.append(String.format(Locale.ROOT, "| **all** | %d | %d | | %d | | %.2f | %.2f | **%.1f** (normalised) |%n",
                anomalies, found, falsePositives, precision, anomalies == 0 ? 1 : (double) found / anomalies,
                SeriesScore.normalised(scores)));
        return s.toString();
    }

    /** Replaces (or appends) the subsection {@code ### label} of the section, adding the section if missing. */
    static void writeSubsection(Path file, String label, String subsection) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        int section = text.indexOf(SECTION);
        if (section < 0) {
            text = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n" + SECTION + "\n\n"
                    + "Written by `bench/detection.sh` (see its first lines); do not edit the tables by hand.\n\n";
            section = text.indexOf(SECTION);
        }
        int sectionEnd = text.indexOf("\n## ", section + SECTION.length());
        if (sectionEnd < 0) {
            sectionEnd = text.length();
        } else {
            sectionEnd++;
        }
        String heading = "### " + label + "\n";
        int at = text.indexOf(heading, section);
        String replaced;
        if (at >= 0 && at < sectionEnd) {
            int next = text.indexOf("\n### ", at + heading.length());
            int end = next >= 0 && next < sectionEnd ? next + 1 : sectionEnd;
            replaced = text.substring(0, at) + subsection + "\n" + text.substring(end);
        } else {
            String before = text.substring(0, sectionEnd);
            replaced = before + (before.endsWith("\n\n") ? "" : "\n") + subsection + "\n" + text.substring(sectionEnd);
        }
        Files.writeString(file, replaced);
    }

}
