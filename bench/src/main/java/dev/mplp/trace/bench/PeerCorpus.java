package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages row 7 detects on: the corpus's traffic (same seed, topology and rate, {@value #LENGTH} times its
 * duration) with faults that make both rules fire, since the fault-free corpus gives them next to nothing to find:
 * CPU over its limit on every service for a fifth of the time ({@code sustained_breach}), a stretch where some spans
 * never complete and one where spans run three times as long as their limit ({@code incomplete_span}, both ways it
 * fires).
 */
final class PeerCorpus {

    private PeerCorpus() {}

    /**
     * How many times the corpus's event time row 7 generates: a round over the corpus alone took well under a second,
     * and a fixed part of ours' (the job's first records, its flush at the end) weighed on its rate: 199,000 events/s
     * over the corpus, 317,000 over four times it, in one session (Esper 605,000 and 1,043,000: its own rounds were
     * short too).
     */
    static final int LENGTH = 4;

    /** Event time of row 7's traffic. */
    static Duration duration(BenchSettings bench) {
        return bench.corpusDuration().multipliedBy(LENGTH);
    }

    /** The faults, placed at fractions of the corpus's duration. */
    static List<String> faults(Duration duration) {
        return List.of(
                "cpu:*" + window(duration, 0.2, 0.2),
                "incomplete:*" + window(duration, 0.5, 0.2) + ":fraction=0.05",
                "latency:*" + window(duration, 0.75, 0.1) + ":factor=3");
    }

    static List<byte[]> lines(BenchSettings bench) {
        GeneratorSettings.Builder settings = Corpus.settings(bench).toBuilder().duration(duration(bench));
        faults(duration(bench)).forEach(settings::fault);
        List<byte[]> lines = new ArrayList<>();
        for (GeneratedMessage message : new TrafficGenerator(settings.build())) {
            lines.add(message.json().getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static String window(Duration duration, double from, double length) {
        return "@+" + (long) (duration.toMillis() * from) + "ms/" + (long) (duration.toMillis() * length) + "ms";
    }
}
