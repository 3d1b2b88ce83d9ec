package dev.mplp.trace.generator;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Realistic Trace Module protocol traffic, as JSON lines, the same for the same {@link GeneratorSettings}.
 *
 * <p>Traces arrive as a Poisson process at {@link GeneratorSettings#tracesPerSecond()} from
 * {@link GeneratorSettings#start()} for {@link GeneratorSettings#duration()} of event time. A trace is a root span
 * and, in 65 % of traces, one to three child spans on any service (their {@code parent_span_id} is the root). Each
 * span sends a {@code trace.execution.start} (with its thresholds in {@code monitoring_configuration}), a
 * {@code trace.execution.update} every {@link GeneratorSettings#updateInterval()} while it runs, and a
 * {@code trace.execution.complete}. Span latencies are log-normal around their operation's median; a child's
 * latency is drawn apart from its parent's, so a latency fault on one operation shows on that operation only.
 * Each service sends a {@code trace.metrics.collect} every {@link GeneratorSettings#metricsInterval()}, pointing at
 * one of its open spans (or its latest span when none is open; none before its first span).
 *
 * <p>The output is ordered by delivery time, which is the event time except for messages the {@code out_of_order}
 * and {@code duplicate} faults deliver late; without those faults event times never decrease. Lines are compact
 * JSON (2 to 5 KB, like the protocol's samples). Generation is lazy: each {@link #iterator()} runs its own
 * simulation, holding only the open spans and the messages still to be delivered, so a run of any length takes
 * the same memory. Determinism: all randomness comes from Commons Math generators seeded from the settings (a
 * stream per trace, span, service and fault), numbers are written with at most two decimals, and nothing reads a
 * clock. Not thread-safe per iterator; the generator itself may be shared.
 *
 * <pre>{@code
 * GeneratorSettings settings = GeneratorSettings.builder()
 *         .seed(7).duration(Duration.ofMinutes(10)).rate(50)
 *         .fault("latency:checkout/charge@+2m/1m:factor=5")
 *         .build();
 * new TrafficGenerator(settings).lines().forEach(System.out::println);
 * }</pre>
 */
public final class TrafficGenerator implements Iterable<GeneratedMessage> {

    private final GeneratorSettings settings;

    public TrafficGenerator(GeneratorSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the settings are missing");
        }
        this.settings = settings;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    /** A new run from the beginning: the same messages each time. */
    @Override
    public Iterator<GeneratedMessage> iterator() {
        return new Simulation(settings);
    }

    /** The messages of a new run, lazily, in delivery order. */
    public Stream<GeneratedMessage> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** The lines of a new run, lazily, in delivery order. */
    public Stream<String> lines() {
        return stream().map(GeneratedMessage::json);
    }
}
