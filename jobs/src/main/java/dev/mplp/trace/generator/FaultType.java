package dev.mplp.trace.generator;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of fault the {@link TrafficGenerator} can inject, each with its name in the {@link FaultSpec} syntax and
 * the parameters it takes (in the order {@link FaultSpec#toString()} writes them).
 *
 * <p>The first six shape what the services report (they are what the detectors should find); the last three
 * shape what the transport delivers (they are what ingest should cope with).
 */
public enum FaultType {
    /** Spans of the target that start in the window take {@code factor} times as long. */
    LATENCY("latency", List.of("factor")),
    /** A {@code fraction} of the target's spans that start in the window fail; error logs, high error rates. */
    ERRORS("errors", List.of("fraction")),
    /** CPU use reported by the target in the window is {@code percent}, above every trace's threshold. */
    CPU("cpu", List.of("percent")),
    /** Memory use reported by the target in the window is {@code mb} (default 1.5 times the trace's threshold). */
    MEMORY("memory", List.of("mb")),
    /** A {@code fraction} of the target's spans that start in the window never send their completion. */
    INCOMPLETE("incomplete", List.of("fraction")),
    /**
     * No span of the target starts in the window (a trace whose root is paused sends nothing), while its
     * {@code trace.metrics.collect} messages go on: traffic that stops while event time keeps moving.
     */
    PAUSE("pause", List.of()),
    /**
     * A {@code fraction} of the target's messages in the window are replaced by malformed records from
     * {@link MalformedMessages}, optionally only of one {@code reason} or one {@code variant}; oversize records are
     * drawn only when {@code max_bytes} (the consumer's limit) is given.
     */
    MALFORMED("malformed", List.of("fraction", "reason", "variant", "max_bytes")),
    /** A {@code fraction} of the target's messages in the window are delivered twice, {@code delay} apart. */
    DUPLICATE("duplicate", List.of("fraction", "delay")),
    /** A {@code fraction} of the target's messages in the window are delivered up to {@code max_delay} late. */
    OUT_OF_ORDER("out_of_order", List.of("fraction", "max_delay"));

    private final String wireName;
    private final List<String> parameters;

    FaultType(String wireName, List<String> parameters) {
        this.wireName = wireName;
        this.parameters = parameters;
    }

    /** The name used in the fault syntax and in {@link GeneratedMessage#kind()}. */
    public String wireName() {
        return wireName;
    }

    /** The parameters this fault takes, in canonical order. */
    public List<String> parameters() {
        return parameters;
    }

    /** True for the faults that act on delivery (malformed, duplicate, out_of_order) rather than on the spans. */
    public boolean isTransport() {
        return this == MALFORMED || this == DUPLICATE || this == OUT_OF_ORDER;
    }

    /** Looks a fault up by its name; {@code out-of-order} is accepted for {@code out_of_order}. */
    public static Optional<FaultType> fromWireName(String name) {
        String normal = name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(t -> t.wireName.equals(normal)).findFirst();
    }

    /** The names of all faults, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(FaultType::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
