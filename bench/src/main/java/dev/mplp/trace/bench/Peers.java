package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Row 7: the {@code sustained_breach} and {@code incomplete_span} rules in ours (Flink CEP), Flink SQL
 * MATCH_RECOGNIZE and Esper, on the same in-memory events; how fast each detects, and whether they found the same
 * alerts (rule, subject, start).
 */
final class Peers {

    /**
     * Every engine's run over the same events, ours first; and the floor ({@link PeerFloor}: ours' job doing nothing,
     * which detects nothing, so it is no peer to agree with).
     */
    record Result(PeerEvents input, List<PeerRun> runs, PeerRun floor) {

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

    /** Inputs at least this large get warm-up rounds. */
    static final int WARM_UP_FROM_EVENTS = 10_000;
    /** Untimed rounds over the whole input, each engine. */
    static final int WARM_UP_ROUNDS = 3;
    /** Timed rounds, each engine: its median counts. */
    static final int TIMED_ROUNDS = 3;

    private Peers() {}

    /** One engine's detection over the input, as {@link PeerOurs#run} does it. */
    @FunctionalInterface
    interface Engine {
        PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws Exception;
    }

    static Result run(List<byte[]> lines, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        PeerEvents input = PeerEvents.of(lines, config);
        console.printf("Peers: %,d evaluations and %,d starts and completions from %,d messages%n",
                input.evaluations().size(), input.startsAndCompletions().size(), lines.size());
        List<PeerRun> runs = new ArrayList<>();
        for (Engine engine : List.<Engine>of(PeerOurs::run, PeerFlinkSql::run, PeerEsper::run)) {
            runs.add(timed(engine, input, config, console));
        }
        Result result = new Result(input, runs, timed(PeerFloor::run, input, config, console));
        for (PeerRun run : runs.subList(1, runs.size())) {
            Disagreement d = result.against(run);
            if (!d.agree()) {
                console.printf("%s disagrees with ours: only ours %s; only %s %s%n", run.engine(),
                        head(d.onlyOurs()), run.engine(), head(d.onlyPeer()));
            }
        }
        return result;
    }

    /**
     * The engine's median of {@link #TIMED_ROUNDS} timed rounds, after {@link #WARM_UP_ROUNDS} untimed ones over the
     * same input (class loading and the JIT: ours ran faster round after round for its first five or so), so
     * each engine is measured as warm as the others; not on a tiny input, whose figures mean nothing anyway.
     */
    private static PeerRun timed(Engine engine, PeerEvents input, TraceAnalyticsConfig config, PrintStream console)
            throws Exception {
        boolean warm = input.size() >= WARM_UP_FROM_EVENTS;
        for (int round = 0; warm && round < WARM_UP_ROUNDS; round++) {
            engine.run(input, config);
        }
        List<PeerRun> rounds = new ArrayList<>();
        for (int round = 0; round < (warm ? TIMED_ROUNDS : 1); round++) {
            rounds.add(engine.run(input, config));
        }
        rounds.sort(Comparator.comparingDouble(PeerRun::seconds));
        PeerRun median = rounds.get(rounds.size() / 2);
        console.printf("Peers: %s, rounds %s s, median %.3f s%n", median.engine(),
                rounds.stream().map(r -> String.format("%.3f", r.seconds())).toList(), median.seconds());
        return median;
    }

    private static List<Detected> head(List<Detected> detected) {
        return detected.subList(0, Math.min(5, detected.size()));
    }
}
