package dev.mplp.trace.generator;

import dev.mplp.trace.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link TrafficGenerator} produces. Two generators with equal settings produce the same bytes.
 *
 * @param seed the seed of every random choice
 * @param start the event time of the first trace; cut to whole milliseconds
 * @param duration how long new traces arrive, in event time (spans open at the end still complete after it)
 * @param tracesPerSecond new traces per second of event time (Poisson arrivals)
 * @param services the simulated services and their operations
 * @param updateInterval how often an open span sends {@code trace.execution.update}
 * @param metricsInterval how often each service sends {@code trace.metrics.collect}
 * @param baseErrorRate the share of spans that fail when no fault is active
 * @param faults the faults to inject
 */
public record GeneratorSettings(
        long seed,
        Instant start,
        Duration duration,
        double tracesPerSecond,
        List<ServiceSpec> services,
        Duration updateInterval,
        Duration metricsInterval,
        double baseErrorRate,
        List<FaultSpec> faults) {

    public static final Instant DEFAULT_START = Instant.parse("2025-09-03T10:00:00Z");
    public static final long DEFAULT_SEED = 1L;
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(5);
    public static final double DEFAULT_RATE = 20;
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);
    public static final double DEFAULT_BASE_ERROR_RATE = 0.01;

    public GeneratorSettings {
        if (start == null) {
            throw new IllegalArgumentException("the start instant is missing");
        }
        start = Instant.ofEpochMilli(start.toEpochMilli());
        if (duration == null || duration.toMillis() <= 0) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
        if (!(tracesPerSecond > 0) || tracesPerSecond > 1_000_000 || !Double.isFinite(tracesPerSecond)) {
            throw new IllegalArgumentException(
                    "the rate must be above 0 and at most 1000000 traces per second, not " + tracesPerSecond);
        }
        if (services == null || services.isEmpty()) {
            throw new IllegalArgumentException("at least one service is needed");
        }
        services = List.copyOf(services);
        Set<String> names = new HashSet<>();
        for (ServiceSpec service : services) {
            if (!names.add(service.name())) {
                throw new IllegalArgumentException("service " + service.name() + " is named twice");
            }
        }
        if (updateInterval == null || updateInterval.toMillis() < 10) {
            throw new IllegalArgumentException("the update interval must be at least 10ms, not " + updateInterval);
        }
        if (metricsInterval == null || metricsInterval.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "the metrics interval must be at least 100ms, not " + metricsInterval);
        }
        if (!(baseErrorRate >= 0 && baseErrorRate <= 0.5)) {
            throw new IllegalArgumentException("the base error rate must be within 0 and 0.5, not " + baseErrorRate);
        }
        faults = faults == null ? List.of() : List.copyOf(faults);
        for (FaultSpec fault : faults) {
            checkFault(fault, services, duration);
        }
    }

    private static void checkFault(FaultSpec fault, List<ServiceSpec> services, Duration duration) {
        if (!fault.anyService()) {
            ServiceSpec service = services.stream()
                    .filter(s -> s.name().equals(fault.service()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("fault " + fault + ": no service '"
                            + fault.service() + "'; the services are " + services.stream()
                                    .map(ServiceSpec::name)
                                    .collect(Collectors.joining(", "))));
            if (fault.operation() != null && service.operation(fault.operation()).isEmpty()) {
                throw new IllegalArgumentException("fault " + fault + ": service " + service.name()
                        + " has no operation '" + fault.operation() + "'; it has " + service.operations().stream()
                                .map(OperationSpec::name)
                                .collect(Collectors.joining(", ")));
            }
        }
        if (fault.offset().compareTo(duration) >= 0) {
            throw new IllegalArgumentException("fault " + fault + " starts at +" + Durations.format(fault.offset())
                    + ", not before the end of the run (+" + Durations.format(duration) + "); it would do nothing");
        }
    }

    /** The defaults: seed 1, 5 minutes from 2025-09-03T10:00:00Z, 20 traces/s, the default services, no faults. */
    public static GeneratorSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .start(start)
                .duration(duration)
                .rate(tracesPerSecond)
                .services(services)
                .updateInterval(updateInterval)
                .metricsInterval(metricsInterval)
                .baseErrorRate(baseErrorRate)
                .faults(faults);
    }

    /** The end of trace arrivals: {@code start + duration}. */
    public Instant end() {
        return start.plus(duration);
    }

    /** Builds {@link GeneratorSettings}; starts from the defaults. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private Instant start = DEFAULT_START;
        private Duration duration = DEFAULT_DURATION;
        private double rate = DEFAULT_RATE;
        private List<ServiceSpec> services = ServiceSpec.defaults();
        private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
        private Duration metricsInterval = DEFAULT_METRICS_INTERVAL;
        private double baseErrorRate = DEFAULT_BASE_ERROR_RATE;
        private final List<FaultSpec> faults = new ArrayList<>();

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** New traces per second of event time. */
        public Builder rate(double tracesPerSecond) {
            this.rate = tracesPerSecond;
            return this;
        }

        public Builder services(List<ServiceSpec> services) {
            this.services = services;
            return this;
        }

        public Builder updateInterval(Duration updateInterval) {
            this.updateInterval = updateInterval;
            return this;
        }

        public Builder metricsInterval(Duration metricsInterval) {
            this.metricsInterval = metricsInterval;
            return this;
        }

        public Builder baseErrorRate(double baseErrorRate) {
            this.baseErrorRate = baseErrorRate;
            return this;
        }

        /** Adds a fault. */
        public Builder fault(FaultSpec fault) {
            this.faults.add(fault);
            return this;
        }

        /** Adds a fault written in the {@link FaultSpec} syntax. */
        public Builder fault(String fault) {
            return fault(FaultSpec.parse(fault));
        }

        /** Replaces the faults. */
        public Builder faults(List<FaultSpec> faults) {
            this.faults.clear();
            this.faults.addAll(faults);
            return this;
        }

        public GeneratorSettings build() {
            return new GeneratorSettings(seed, start, duration, rate, services, updateInterval, metricsInterval,
                    baseErrorRate, faults);
        }
    }
}
