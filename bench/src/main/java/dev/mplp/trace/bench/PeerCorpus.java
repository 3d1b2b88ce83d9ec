package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages row 7 detects on: the corpus's traffic (same seed, topology, duration and rate) with faults that
 * make both rules fire, since the fault-free corpus gives them next to nothing to find: CPU over its limit on every
 * service for a fifth of the time ({@code sustained_breach}), a stretch where some spans never complete and one
 * where spans run three times as long as their limit ({@code incomplete_span}, both ways it fires).
 */
final class PeerCorpus {

    private PeerCorpus() {}

    /** The faults, placed at fractions of the corpus's duration. */
    static List<String> faults(Duration duration) {
        return List.of(
                "cpu:*" + window(duration, 0.2, 0.2),
                "incomplete:*" + window(duration, 0.5, 0.2) + ":fraction=0.05",
                "latency:*" + window(duration, 0.75, 0.1) + ":factor=3");
    }

    static List<byte[]> lines(BenchSettings bench) {
        GeneratorSettings.Builder settings = Corpus.settings(bench).toBuilder();
        faults(bench.corpusDuration()).forEach(settings::fault);
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
