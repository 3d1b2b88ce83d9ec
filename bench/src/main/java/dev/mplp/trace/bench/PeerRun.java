package dev.mplp.trace.bench;

import java.util.List;

/**
 * One engine's detection over {@link PeerEvents}: what it found and how long it took.
 *
 * @param engine the engine, as the table names it
 * @param detected the alerts, sorted, duplicates kept (a duplicate is a disagreement too)
 * @param events the events it was fed
 * @param seconds the time detection took (see each engine for what it includes)
 */
record PeerRun(String engine, List<Detected> detected, long events, double seconds) {

    PeerRun {
        detected = detected.stream().sorted().toList();
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    long count(String rule) {
        return detected.stream().filter(d -> d.rule().equals(rule)).count();
    }
}
