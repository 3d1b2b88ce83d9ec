package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Row 7: the {@code sustained_breach} and {@code incomplete_span} rules in ours (Flink CEP), Flink SQL
 * MATCH_RECOGNIZE and Esper, on the same in-memory events; how fast each detects, and whether they found the same
 * alerts (rule, subject, start).
 */
final class Peers {

    /** Every engine's run over the same events, ours first. */
    record Result(PeerEvents input, List<PeerRun> runs) {

        PeerRun ours() {
            return runs.get(0);
        }

        /** The alerts {@code other} found that ours did not, and the other way round: empty when they agree. */
        Disagreement against(PeerRun other) {
            return Disagreement.of(ours().detected(), other.detected());
        }
    }

    /**
     * @param onlyOurs alerts ours found and the peer did not (a multiset difference: duplicates count)
     * @param onlyPeer alerts the peer found and ours did not
     */
    record Disagreement(List<Detected> onlyOurs, List<Detected> onlyPeer) {

        static Disagreement of(List<Detected> ours, List<Detected> peer) {
            return new Disagreement(minus(ours, peer), minus(peer, ours));
        }

        boolean agree() {
            return onlyOurs.isEmpty() && onlyPeer.isEmpty();
        }

        private static List<Detected> minus(List<Detected> from, List<Detected> take) {
            Map<Detected, Integer> left = new HashMap<>();
            take.forEach(d -> left.merge(d, 1, Integer::sum));
            List<Detected> rest = new ArrayList<>();
            for (Detected d : from) {
                if (left.getOrDefault(d, 0) > 0) {
                    left.merge(d, -1, Integer::sum);
                } else {
                    rest.add(d);
                }
            }
            return rest;
        }
    }

    /** Inputs at least this large get a warm-up round. */
    static final int WARM_UP_FROM_EVENTS = 10_000;

    private Peers() {}

    static Result run(List<byte[]> lines, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        PeerEvents input = PeerEvents.of(lines, config);
        console.printf("Peers: %,d evaluations and %,d starts and completions from %,d messages%n",
                input.evaluations().size(), input.startsAndCompletions().size(), lines.size());
        // a warm-up round on a fifth of the input first: the first job in a JVM pays for class loading and JIT,
        // which would fall on whichever engine ran first (not on a tiny input: its figures mean nothing anyway)
        if (input.size() >= WARM_UP_FROM_EVENTS) {
            PeerEvents warmUp = input.head(0.2);
            PeerOurs.run(warmUp, config);
            PeerFlinkSql.run(warmUp, config);
            PeerEsper.run(warmUp, config);
        }
        List<PeerRun> runs = new ArrayList<>();
        runs.add(PeerOurs.run(input, config));
        runs.add(PeerFlinkSql.run(input, config));
        runs.add(PeerEsper.run(input, config));
        Result result = new Result(input, runs);
        for (PeerRun run : runs.subList(1, runs.size())) {
            Disagreement d = result.against(run);
            if (!d.agree()) {
                console.printf("%s disagrees with ours: only ours %s; only %s %s%n", run.engine(),
                        head(d.onlyOurs()), run.engine(), head(d.onlyPeer()));
            }
        }
        return result;
    }

    private static List<Detected> head(List<Detected> detected) {
        return detected.subList(0, Math.min(5, detected.size()));
    }
}
