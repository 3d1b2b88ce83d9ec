package dev.mplp.trace.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.random.Well512a;
import org.apache.commons.math3.util.FastMath;

/**
 * One run of a {@link TrafficGenerator}: a discrete-event simulation in event time. A priority queue holds what
 * happens next (the next trace arrival, each open span's next message, each service's next metrics collection);
 * produced messages wait in a second queue ordered by delivery time until nothing still to happen can be delivered
 * before them. Memory is bounded by the open spans and the messages held back by delivery delays, not by duration.
 *
 * <p>Every random choice comes from a stream of its own, seeded from the settings' seed and the choice's place
 * (trace number, span number, service, fault), so a trace is the same whatever else the run holds, and a fault
 * changes only what it acts on.
 */
final class Simulation implements Iterator<GeneratedMessage> {

    /** The share of traces that are a single span. */
    static final double CHILDLESS_SHARE = 0.35;
    static final int MAX_CHILDREN = 3;
    static final int INSTANCES_PER_SERVICE = 2;
    /** Work items a span does, for throughput figures. */
    static final double OPERATIONS_PER_SPAN = 10;

    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    private static final long SALT_ARRIVALS = 0x61727269766c7331L;
    private static final long SALT_TRACE = 0x7472616365733031L;
    private static final long SALT_SPAN = 0x7370616e73303031L;
    private static final long SALT_SERVICE = 0x7365727669636531L;
    private static final long SALT_METRICS = 0x6d65747269637331L;
    private static final long SALT_FAULT = 0x6661756c74733031L;

    private static final int ARRIVAL = 0;
    private static final int START = 1;
    private static final int UPDATE = 2;
    private static final int END = 3;
    private static final int METRICS = 4;

    /** A pod of a service. */
    record Instance(String senderId, String podName, String hostId, int pid) {}

    /**
     * Values a message reports, after the faults acting on it: {@code throughputOpsPerSec} is operations per second
     * for span messages and requests per second for metrics messages.
     */
    record Vitals(
            double cpuPercent,
            double memoryMb,
            double errorRatePercent,
            double latencyP95Ms,
            double throughputOpsPerSec,
            EnumSet<FaultType> faults) {}

    static final class ServiceState {
        final int index;
        final ServiceSpec spec;
        final String version;
        final List<Instance> instances;
        final RandomGenerator metricsRng;
        final double spansPerSec;
        final double memoryLimitMb;
        /** Open spans in the order they started: deterministic iteration. */
        final LinkedHashMap<String, SpanState> open = new LinkedHashMap<>();
        SpanState lastStarted;
        long metricsSent;

        ServiceState(int index, ServiceSpec spec, long seed, double spansPerSec) {
            this.index = index;
            this.spec = spec;
            RandomGenerator rng = new Well512a(derive(seed, SALT_SERVICE, index));
            this.version = "1." + (1 + rng.nextInt(9)) + "." + rng.nextInt(20);
            List<Instance> pods = new ArrayList<>();
            String deployment = spec.name() + "-service-" + MessageFactory.hex(rng, 9).substring(0, 9);
            for (int i = 1; i <= INSTANCES_PER_SERVICE; i++) {
                pods.add(new Instance(
                        spec.name() + "-service-00" + i,
                        deployment + "-" + MessageFactory.hex(rng, 5),
                        "i-0" + MessageFactory.hex(rng, 16),
                        1 + rng.nextInt(64)));
            }
            this.instances = List.copyOf(pods);
            this.metricsRng = new Well19937c(derive(seed, SALT_METRICS, index));
            this.spansPerSec = spansPerSec;
            this.memoryLimitMb = spec.memoryThresholdMb() * 2;
        }

        /**
         * Below both rates a healthy service reports against it: operations per second in span messages, and the
         * lower requests per second in its metrics messages, which are checked against the same target.
         */
        long minThroughputTarget() {
            return Math.max(1, Math.round(spansPerSec * 0.4));
        }
    }

    static final class TraceState {
        final long index;
        final String traceId;
        final String correlationId;
        final String contextId;
        final String userId;
        final String sessionId;
        final String requestId;
        final int priority;
        final int businessUnit;
        final List<SpanState> spans = new ArrayList<>(1 + MAX_CHILDREN);

        TraceState(long index, RandomGenerator rng) {
            this.index = index;
            this.traceId = MessageFactory.nonZeroHex(rng, 32);
            this.correlationId = "corr-" + traceId.substring(0, 12);
            int user = 1 + rng.nextInt(5000);
            this.userId = "user-" + user;
            this.sessionId = "sess-" + MessageFactory.hex(rng, 10);
            this.requestId = "req-" + MessageFactory.hex(rng, 12);
            this.priority = rng.nextInt(4);
            this.businessUnit = rng.nextInt(5);
            this.contextId = "ctx-" + this.businessUnit + "-" + (user % 97);
        }
    }

    static final class SpanState {
        final TraceState trace;
        final int index;
        final SpanState parent;
        final ServiceState service;
        final OperationSpec op;
        final RandomGenerator rng;
        final String spanId;
        final long startMs;
        final long baseLatencyMs;
        final long latencyMs;
        final boolean fail;
        final boolean hang;
        final int instanceIndex;
        final int errorKind;
        /** The span faults acting on this span. */
        final EnumSet<FaultType> faults = EnumSet.noneOf(FaultType.class);
        final double latencyFactor;
        int updatesSent;
        int errorLogs;
        double peakCpu;
        double peakMemoryMb;

        SpanState(TraceState trace, int index, SpanState parent, ServiceState service, OperationSpec op, long startMs,
                long seed, double baseErrorRate, ActiveFaults active) {
            this.trace = trace;
            this.index = index;
            this.parent = parent;
            this.service = service;
            this.op = op;
            this.startMs = startMs;
            this.rng = new Well512a(derive(seed, SALT_SPAN, trace.index, index));
            this.spanId = MessageFactory.nonZeroHex(rng, 16);
            double latency = new LogNormalDistribution(rng, FastMath.log(op.medianLatencyMs()), op.sigma()).sample();
            double failDraw = rng.nextDouble();
            double hangDraw = rng.nextDouble();
            this.instanceIndex = rng.nextInt(INSTANCES_PER_SERVICE);
            this.errorKind = rng.nextInt(5);
            this.baseLatencyMs = Math.max(1, Math.round(latency));

            String name = service.spec.name();
            this.latencyFactor = active.latencyFactor(name, op.name(), startMs);
            if (latencyFactor != 1) {
                faults.add(FaultType.LATENCY);
            }
            this.latencyMs = Math.max(1, Math.round(latency * latencyFactor));
            double errors = active.fraction(FaultType.ERRORS, name, op.name(), startMs);
            if (!Double.isNaN(errors)) {
                faults.add(FaultType.ERRORS);
            }
            this.fail = failDraw < Math.max(baseErrorRate, Double.isNaN(errors) ? 0 : errors);
            double incomplete = active.fraction(FaultType.INCOMPLETE, name, op.name(), startMs);
            this.hang = !Double.isNaN(incomplete) && hangDraw < incomplete;
            if (hang) {
                faults.add(FaultType.INCOMPLETE);
            }
        }

        Instance instance() {
            return service.instances.get(instanceIndex);
        }

        String messageId(int number) {
            return "msg-" + spanId + "-" + number;
        }

        String spanKind() {
            return parent == null ? "server" : parent.service == service ? "internal" : "server";
        }

        long durationThresholdMs() {
            return Math.max(50, Math.round(op.medianLatencyMs() * MessageFactory.DURATION_THRESHOLD_FACTOR / 10) * 10);
        }

        long p95TargetMs() {
            return Math.max(20, Math.round(op.p95LatencyMs() * 1.5 / 10) * 10);
        }

        int childCount() {
            return parent == null ? trace.spans.size() - 1 : 0;
        }
    }

    private static final class Pending {
        final long time;
        final long seq;
        final int kind;
        final SpanState span;
        final ServiceState service;

        Pending(long time, long seq, int kind, SpanState span, ServiceState service) {
            this.time = time;
            this.seq = seq;
            this.kind = kind;
            this.span = span;
            this.service = service;
        }
    }

    private record Outgoing(long delivery, long seq, GeneratedMessage message) {}

    private static final class TransportFault {
        final FaultSpec spec;
        final RandomGenerator rng;
        final Map<MessageType, List<MalformedMessages.Malformation>> candidates = new EnumMap<>(MessageType.class);

        TransportFault(FaultSpec spec, RandomGenerator rng) {
            this.spec = spec;
            this.rng = rng;
            if (spec.type() == FaultType.MALFORMED) {
                for (MessageType type : MessageType.values()) {
                    candidates.put(type, MalformedMessages.candidates(type, spec));
                }
            }
        }
    }

    private static final Comparator<Pending> BY_TIME =
            Comparator.<Pending>comparingLong(p -> p.time).thenComparingLong(p -> p.seq);
    private static final Comparator<Outgoing> BY_DELIVERY =
            Comparator.comparingLong(Outgoing::delivery).thenComparingLong(Outgoing::seq);

    private final GeneratorSettings settings;
    private final long seed;
    private final long startMs;
    private final long endMs;
    private final long updateMs;
    private final long metricsMs;
    private final ActiveFaults active;
    private final MessageFactory factory;
    private final List<ServiceState> services = new ArrayList<>();
    private final List<ServiceState> opServices = new ArrayList<>();
    private final List<OperationSpec> ops = new ArrayList<>();
    private final List<TransportFault> malformed = new ArrayList<>();
    private final List<TransportFault> late = new ArrayList<>();
    private final List<TransportFault> duplicates = new ArrayList<>();
    private final ExponentialDistribution interArrival;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(BY_TIME);
    private final PriorityQueue<Outgoing> outbox = new PriorityQueue<>(BY_DELIVERY);
    private long seq;
    private long traces;
    private double nextArrival;
    private long sequenceOut;
    private GeneratedMessage next;

    Simulation(GeneratorSettings settings) {
        this.settings = settings;
        this.seed = settings.seed();
        this.startMs = settings.start().toEpochMilli();
        this.endMs = startMs + settings.duration().toMillis();
        this.updateMs = settings.updateInterval().toMillis();
        this.metricsMs = settings.metricsInterval().toMillis();
        this.active = new ActiveFaults(settings.faults(), startMs);
        this.factory = new MessageFactory(settings);

        int totalOps = settings.services().stream().mapToInt(s -> s.operations().size()).sum();
        double spansPerTrace = 1 + (1 - CHILDLESS_SHARE) * (1 + MAX_CHILDREN) / 2.0;
        for (ServiceSpec spec : settings.services()) {
            double share = spec.operations().size() / (double) totalOps;
            ServiceState service = new ServiceState(services.size(), spec, seed,
                    settings.tracesPerSecond() * spansPerTrace * share);
            services.add(service);
            for (OperationSpec op : spec.operations()) {
                opServices.add(service);
                ops.add(op);
            }
        }
        for (int i = 0; i < settings.faults().size(); i++) {
            FaultSpec fault = settings.faults().get(i);
            RandomGenerator rng = new Well19937c(derive(seed, SALT_FAULT, i));
            switch (fault.type()) {
                case MALFORMED -> malformed.add(new TransportFault(fault, rng));
                case OUT_OF_ORDER -> late.add(new TransportFault(fault, rng));
                case DUPLICATE -> duplicates.add(new TransportFault(fault, rng));
                default -> {}
            }
        }
        this.interArrival = new ExponentialDistribution(
                new Well19937c(derive(seed, SALT_ARRIVALS)), 1000.0 / settings.tracesPerSecond());
        this.nextArrival = startMs;
        schedule(startMs, ARRIVAL, null, null);
        for (ServiceState service : services) {
            long first = startMs + metricsMs * (service.index + 1) / services.size();
            if (first < endMs) {
                schedule(first, METRICS, null, service);
            }
        }
    }

    /** SplitMix64's finaliser: spreads the bits of {@code z}. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for the random stream at {@code parts} of a run seeded with {@code seed}. */
    static long derive(long seed, long... parts) {
        long h = mix(seed + 0x9e3779b97f4a7c15L);
        for (long part : parts) {
            h = mix(h ^ mix(part + 0x9e3779b97f4a7c15L));
        }
        return h;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public GeneratedMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generator has produced all its messages");
        }
        GeneratedMessage message = next;
        next = null;
        return message;
    }

    /** Open spans right now, for tests of the memory bound. */
    int openSpans() {
        return services.stream().mapToInt(s -> s.open.size()).sum();
    }

    /** Events and messages held right now, for tests of the memory bound. */
    int held() {
        return pending.size() + outbox.size();
    }

    private GeneratedMessage advance() {
        while (true) {
            Outgoing head = outbox.peek();
            long nextTime = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().time;
            if (head != null && head.delivery() <= nextTime) {
                outbox.poll();
                return head.message().withSequence(sequenceOut++);
            }
            if (pending.isEmpty()) {
                return null;
            }
            process(pending.poll());
        }
    }

    private void schedule(long time, int kind, SpanState span, ServiceState service) {
        pending.add(new Pending(time, seq++, kind, span, service));
    }

    private void process(Pending event) {
        switch (event.kind) {
            case ARRIVAL -> arrive(event.time);
            case START -> startSpan(event.span, event.time);
            case UPDATE -> updateSpan(event.span, event.time);
            case END -> endSpan(event.span, event.time);
            case METRICS -> collectMetrics(event.service, event.time);
            default -> throw new IllegalStateException("event kind " + event.kind);
        }
    }

    // ---------------------------------------------------------------- traces and spans

    private void arrive(long time) {
        long index = traces++;
        RandomGenerator rng = new Well512a(derive(seed, SALT_TRACE, index));
        TraceState trace = new TraceState(index, rng);
        int rootOp = rng.nextInt(ops.size());
        int children = rng.nextDouble() < CHILDLESS_SHARE ? 0 : 1 + rng.nextInt(MAX_CHILDREN);
        SpanState root = new SpanState(trace, 0, null, opServices.get(rootOp), ops.get(rootOp), time, seed,
                settings.baseErrorRate(), active);
        // a paused root sends nothing of its trace; the draws stay the same, so the traces after it do not change
        boolean rootPaused = paused(root);
        if (!rootPaused) {
            trace.spans.add(root);
            schedule(time, START, root, null);
        }
        for (int c = 1; c <= children; c++) {
            int op = rng.nextInt(ops.size());
            long offset = 1 + (long) (rng.nextDouble() * Math.max(1, root.baseLatencyMs * 0.6));
            SpanState child = new SpanState(trace, c, root, opServices.get(op), ops.get(op), time + offset, seed,
                    settings.baseErrorRate(), active);
            if (!rootPaused && !paused(child)) {
                trace.spans.add(child);
                schedule(child.startMs, START, child, null);
            }
        }
        nextArrival += interArrival.sample();
        long nextTime = (long) Math.floor(nextArrival);
        if (nextTime < endMs) {
            schedule(Math.max(nextTime, time), ARRIVAL, null, null);
        }
    }

    private boolean paused(SpanState span) {
        return active.paused(span.service.spec.name(), span.op.name(), span.startMs);
    }

    private void startSpan(SpanState span, long time) {
        span.service.open.put(span.spanId, span);
        span.service.lastStarted = span;
        emit(MessageType.START, span, span.service, time, factory.start(span, time), span.faults);
        scheduleAfter(span, time);
    }

    private void updateSpan(SpanState span, long time) {
        span.updatesSent++;
        Vitals vitals = spanVitals(span, time);
        ObjectNode message = factory.update(span, time, span.updatesSent, vitals);
        span.peakCpu = Math.max(span.peakCpu, vitals.cpuPercent());
        span.peakMemoryMb = Math.max(span.peakMemoryMb, vitals.memoryMb());
        emit(MessageType.UPDATE, span, span.service, time, message, union(span.faults, vitals.faults()));
        scheduleAfter(span, time);
    }

    private void scheduleAfter(SpanState span, long time) {
        long nextUpdate = span.startMs + (span.updatesSent + 1) * updateMs;
        long end = span.startMs + span.latencyMs;
        if (nextUpdate < end) {
            schedule(nextUpdate, UPDATE, span, null);
        } else {
            schedule(Math.max(end, time), END, span, null);
        }
    }

    private void endSpan(SpanState span, long time) {
        span.service.open.remove(span.spanId);
        if (span.hang) {
            return;
        }
        Vitals vitals = spanVitals(span, time);
        emit(MessageType.COMPLETE, span, span.service, time, factory.complete(span, time, vitals),
                union(span.faults, vitals.faults()));
    }

    private Vitals spanVitals(SpanState span, long time) {
        RandomGenerator rng = span.rng;
        ServiceState service = span.service;
        String op = span.op.name();
        double p95 = span.op.p95LatencyMs() * span.latencyFactor * (0.9 + 0.2 * rng.nextDouble());
        double throughput = service.spansPerSec * OPERATIONS_PER_SPAN * (0.85 + 0.3 * rng.nextDouble());
        return vitals(service, op, time, rng, p95, throughput);
    }

    private Vitals vitals(ServiceState service, String op, long time, RandomGenerator rng, double p95,
            double throughput) {
        ServiceSpec spec = service.spec;
        String name = spec.name();
        double g1 = rng.nextGaussian();
        double g2 = rng.nextGaussian();
        double u = rng.nextDouble();
        EnumSet<FaultType> faults = EnumSet.noneOf(FaultType.class);

        double cpu = clamp(spec.cpuBaselinePercent() + 6 * g1, 1, MessageFactory.CPU_THRESHOLD_PERCENT - 4);
        double cpuFault = active.cpuPercent(name, op, time);
        if (!Double.isNaN(cpuFault)) {
            cpu = clamp(cpuFault - FastMath.abs(g1), 0.1, 100);
            faults.add(FaultType.CPU);
        }
        double memory = clamp(spec.memoryBaselineMb() * (1 + 0.08 * g2), 16, spec.memoryThresholdMb() * 0.8);
        double memoryFault = active.memoryMb(name, op, time, spec.memoryThresholdMb());
        if (!Double.isNaN(memoryFault)) {
            memory = memoryFault * (1 + 0.02 * FastMath.abs(g2));
            faults.add(FaultType.MEMORY);
        }
        double errors = active.fraction(FaultType.ERRORS, name, op, time);
        double errorRate;
        if (Double.isNaN(errors)) {
            // healthy: between a quarter and three quarters of the base rate, inside the 1 % target its traces declare
            errorRate = settings.baseErrorRate() * 100 * (0.25 + 0.5 * u);
        } else {
            errorRate = errors * 100 * (0.85 + 0.3 * u);
            faults.add(FaultType.ERRORS);
        }
        return new Vitals(cpu, memory, clamp(errorRate, 0, 100), p95, throughput, faults);
    }

    private static EnumSet<FaultType> union(EnumSet<FaultType> a, EnumSet<FaultType> b) {
        EnumSet<FaultType> all = EnumSet.copyOf(a);
        all.addAll(b);
        return all;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    // ---------------------------------------------------------------- metrics

    private void collectMetrics(ServiceState service, long time) {
        RandomGenerator rng = service.metricsRng;
        SpanState span = service.lastStarted;
        if (!service.open.isEmpty()) {
            int pick = rng.nextInt(service.open.size());
            Iterator<SpanState> open = service.open.values().iterator();
            for (int i = 0; i < pick; i++) {
                open.next();
            }
            span = open.next();
        }
        if (span != null) {
            double p95 = 0;
            for (OperationSpec op : service.spec.operations()) {
                p95 = Math.max(p95, op.p95LatencyMs() * active.latencyFactor(service.spec.name(), op.name(), time));
            }
            p95 *= 0.9 + 0.2 * rng.nextDouble();
            double requests = service.spansPerSec * (0.85 + 0.3 * rng.nextDouble());
            Vitals vitals = vitals(service, null, time, rng, p95, requests);
            service.metricsSent++;
            ObjectNode message = factory.metrics(service, span, time, vitals);
            emit(MessageType.METRICS, span, service, time, message, vitals.faults());
        }
        if (time + metricsMs < endMs) {
            schedule(time + metricsMs, METRICS, null, service);
        }
    }

    // ---------------------------------------------------------------- delivery

    private void emit(MessageType type, SpanState span, ServiceState service, long time, ObjectNode tree,
            EnumSet<FaultType> spanFaults) {
        String json = write(tree);
        String operation = type == MessageType.METRICS ? null : span.op.name();
        String name = service.spec.name();
        EnumSet<FaultType> faults = EnumSet.copyOf(spanFaults);
        String malformation = null;
        DeadLetterReason reason = null;

        for (TransportFault fault : malformed) {
            if (acts(fault, name, operation, time)) {
                double draw = fault.rng.nextDouble();
                List<MalformedMessages.Malformation> candidates = fault.candidates.get(type);
                if (malformation == null && draw < fault.spec.fraction() && !candidates.isEmpty()) {
                    MalformedMessages.Malformation m = candidates.get(fault.rng.nextInt(candidates.size()));
                    json = m.apply(tree, json, fault.spec.maxBytes().orElse(Long.MAX_VALUE));
                    malformation = m.name();
                    reason = m.expectedReason();
                    faults.add(FaultType.MALFORMED);
                }
            }
        }
        long delay = 0;
        for (TransportFault fault : late) {
            if (acts(fault, name, operation, time) && fault.rng.nextDouble() < fault.spec.fraction()) {
                long max = fault.spec.maxDelay().toMillis();
                delay = Math.max(delay, 1 + (long) (fault.rng.nextDouble() * max));
                faults.add(FaultType.OUT_OF_ORDER);
            }
        }
        Instant eventTime = Instant.ofEpochMilli(time);
        GeneratedMessage message = new GeneratedMessage(-1, eventTime, eventTime.plusMillis(delay), type,
                span.trace.traceId, span.spanId, name, operation, faults, malformation, reason, json);
        outbox.add(new Outgoing(time + delay, seq++, message));
        for (TransportFault fault : duplicates) {
            if (acts(fault, name, operation, time) && fault.rng.nextDouble() < fault.spec.fraction()) {
                long copyAt = time + delay + fault.spec.delay().toMillis();
                EnumSet<FaultType> copyFaults = EnumSet.copyOf(faults);
                copyFaults.add(FaultType.DUPLICATE);
                GeneratedMessage copy = message.withDelivery(Instant.ofEpochMilli(copyAt), copyFaults,
                        reason != null ? reason : DeadLetterReason.DUPLICATE);
                outbox.add(new Outgoing(copyAt, seq++, copy));
            }
        }
    }

    private boolean acts(TransportFault fault, String service, String operation, long time) {
        return fault.spec.targets(service, operation) && fault.spec.activeAt(startMs, time);
    }

    private static String write(ObjectNode tree) {
        try {
            return WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
