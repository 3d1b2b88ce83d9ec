package dev.mplp.trace.generator;

import dev.mplp.trace.config.Durations;
import dev.mplp.trace.records.DeadLetterReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One fault to inject: what, on which service (and operation), over which stretch of event time, with which
 * parameters. Written on the command line in a compact syntax that {@link #parse} reads and {@link #toString}
 * writes back (in canonical form, so {@code parse(f.toString()).equals(f)}):
 *
 * <pre>
 *   TYPE:TARGET[@[+]OFFSET[/DURATION]][:KEY=VALUE[,KEY=VALUE...]]
 *
 *   TARGET    SERVICE | SERVICE/OPERATION | *        (* is every service)
 *   OFFSET    from the generator's start, in event time; no @... means the whole run
 *   DURATION  how long the fault lasts; none means until the end of the run
 *             durations as in the configuration (Flink's grammar): 500ms, 30s, 2min, 90s, 1h
 * </pre>
 *
 * <p>The window is {@code [start + OFFSET, start + OFFSET + DURATION)}. Span faults (latency, errors, incomplete,
 * pause) act on the spans of the target that <em>start</em> in the window; resource faults (cpu, memory) on the values the
 * target reports in the window (a fault with an operation leaves the service-wide {@code trace.metrics.collect}
 * alone); transport faults (malformed, duplicate, out_of_order) on the target's messages whose event time is in the
 * window (metrics messages belong to their service and have no operation).
 *
 * <table>
 *   <caption>Types and parameters (defaults in brackets)</caption>
 *   <tr><td>{@code latency}</td><td>{@code factor} [5]: spans take this many times as long</td></tr>
 *   <tr><td>{@code errors}</td><td>{@code fraction} [0.5]: share of spans that fail (error logs, error status,
 *       failed operations, error rates near {@code fraction * 100} percent)</td></tr>
 *   <tr><td>{@code cpu}</td><td>{@code percent} [97]: reported CPU use, 0 to 100</td></tr>
 *   <tr><td>{@code memory}</td><td>{@code mb} [1.5 times each trace's {@code memory_usage_mb} threshold]:
 *       reported memory use</td></tr>
 *   <tr><td>{@code incomplete}</td><td>{@code fraction} [0.5]: share of spans that never complete</td></tr>
 *   <tr><td>{@code pause}</td><td>none: no span starts (metrics messages go on)</td></tr>
 *   <tr><td>{@code malformed}</td><td>{@code fraction} [0.05] of messages replaced by malformed records;
 *       {@code reason} (a dead-letter reason) or {@code variant} (a {@link MalformedMessages} name) narrows the
 *       draw; {@code max_bytes} (the consumer's size limit) lets oversize records be drawn</td></tr>
 *   <tr><td>{@code duplicate}</td><td>{@code fraction} [0.05] of messages delivered twice, the copy
 *       {@code delay} [0s] after the original</td></tr>
 *   <tr><td>{@code out_of_order}</td><td>{@code fraction} [0.2] of messages delivered late, by up to
 *       {@code max_delay} [30s]</td></tr>
 * </table>
 *
 * <p>Examples: {@code latency:checkout/charge@+2m/1m:factor=5}, {@code errors:inventory@+30s/2m:fraction=0.4},
 * {@code cpu:catalog@+1m/1m}, {@code pause:*@+20m}, {@code malformed:*:fraction=0.02,reason=missing_field},
 * {@code out_of_order:*@+1m:max_delay=45s}.
 *
 * @param type what the fault does
 * @param service the service it acts on, or {@code *} for every service
 * @param operation the operation it acts on, or null for all of the service's operations
 * @param offset when it begins, from the generator's start
 * @param duration how long it lasts; null for until the end of the run
 * @param parameters the given parameters in canonical text, in the order of {@link FaultType#parameters()}
 */
public record FaultSpec(
        FaultType type,
        String service,
        String operation,
        Duration offset,
        Duration duration,
        Map<String, String> parameters) {

    /** The target that stands for every service. */
    public static final String ANY_SERVICE = "*";

    /** The syntax, for error messages. */
    public static final String SYNTAX = "TYPE:SERVICE[/OPERATION][@+OFFSET[/DURATION]][:KEY=VALUE,...]";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public FaultSpec {
        if (type == null) {
            throw new IllegalArgumentException("a fault needs a type (" + FaultType.names() + ")");
        }
        if (service == null || !(service.equals(ANY_SERVICE) || NAME.matcher(service).matches())) {
            throw new IllegalArgumentException("fault " + type + ": '" + service
                    + "' is not a service name (letters, digits, '_', '.', '-') or '*'");
        }
        if (operation != null) {
            if (service.equals(ANY_SERVICE)) {
                throw new IllegalArgumentException(
                        "fault " + type + ": '*' stands for every service and cannot name an operation");
            }
            if (!NAME.matcher(operation).matches()) {
                throw new IllegalArgumentException("fault " + type + ": '" + operation
                        + "' is not an operation name (letters, digits, '_', '.', '-')");
            }
        }
        if (offset == null || offset.isNegative()) {
            throw new IllegalArgumentException("fault " + type + ": the offset must not be negative");
        }
        offset = Duration.ofMillis(offset.toMillis());
        if (duration != null) {
            if (duration.toMillis() <= 0) {
                throw new IllegalArgumentException("fault " + type + ": the duration must be positive");
            }
            duration = Duration.ofMillis(duration.toMillis());
        }
        parameters = canonical(type, parameters == null ? Map.of() : parameters);
    }

    /** A fault of {@code type} on {@code service} (and {@code operation}, may be null) over the whole run. */
    public static FaultSpec of(FaultType type, String service, String operation) {
        return new FaultSpec(type, service, operation, Duration.ZERO, null, Map.of());
    }

    /** This fault over {@code [start + offset, start + offset + duration)}. */
    public FaultSpec during(Duration offset, Duration duration) {
        return new FaultSpec(type, service, operation, offset, duration, parameters);
    }

    /** This fault with one more parameter (replacing a given one of that name). */
    public FaultSpec with(String key, Object value) {
        Map<String, String> more = new LinkedHashMap<>(parameters);
        more.put(key, value instanceof Duration d ? Durations.format(d) : String.valueOf(value));
        return new FaultSpec(type, service, operation, offset, duration, more);
    }

    /**
     * Reads the syntax described in the class comment.
     *
     * @throws IllegalArgumentException naming the part of {@code text} that is wrong and what was expected
     */
    public static FaultSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty fault; expected " + SYNTAX);
        }
        String spec = text.trim();
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("fault '" + text + "' has no target; expected " + SYNTAX
                    + " (like latency:checkout/charge@+2m/1m:factor=5)");
        }
        String typeName = spec.substring(0, colon);
        FaultType type = FaultType.fromWireName(typeName).orElseThrow(() -> new IllegalArgumentException(
                "fault '" + text + "': unknown type '" + typeName + "'; known: " + FaultType.names()));
        String rest = spec.substring(colon + 1);
        int paramsColon = rest.indexOf(':');
        String targetAndWindow = paramsColon < 0 ? rest : rest.substring(0, paramsColon);
        String params = paramsColon < 0 ? null : rest.substring(paramsColon + 1);

        int at = targetAndWindow.indexOf('@');
        String target = at < 0 ? targetAndWindow : targetAndWindow.substring(0, at);
        if (target.isEmpty()) {
            throw new IllegalArgumentException("fault '" + text + "' names no service; expected " + SYNTAX
                    + " (use * for every service)");
        }
        String service = target;
        String operation = null;
        int slash = target.indexOf('/');
        if (slash >= 0) {
            service = target.substring(0, slash);
            operation = target.substring(slash + 1);
            if (operation.equals("*")) {
                operation = null;
            } else if (operation.isEmpty() || operation.contains("/")) {
                throw new IllegalArgumentException("fault '" + text + "': '" + target
                        + "' is not SERVICE or SERVICE/OPERATION");
            }
        }

        Duration offset = Duration.ZERO;
        Duration duration = null;
        if (at >= 0) {
            String window = targetAndWindow.substring(at + 1);
            if (window.startsWith("+")) {
                window = window.substring(1);
            }
            int windowSlash = window.indexOf('/');
            String offsetText = windowSlash < 0 ? window : window.substring(0, windowSlash);
            offset = duration(text, "offset", offsetText);
            if (windowSlash >= 0) {
                duration = duration(text, "duration", window.substring(windowSlash + 1));
            }
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        if (params != null) {
            if (params.isEmpty()) {
                throw new IllegalArgumentException("fault '" + text + "' ends with ':' but gives no KEY=VALUE");
            }
            for (String pair : params.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("fault '" + text + "': '" + pair
                            + "' is not KEY=VALUE (parameters of " + type + ": " + String.join(", ", type.parameters())
                            + ")");
                }
                String key = pair.substring(0, eq).trim();
                if (parameters.put(key, pair.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("fault '" + text + "' gives '" + key + "' twice");
                }
            }
        }
        try {
            return new FaultSpec(type, service, operation, offset, duration, parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + text + "': " + stripPrefix(e.getMessage(), type), e);
        }
    }

    private static String stripPrefix(String message, FaultType type) {
        String prefix = "fault " + type + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static Duration duration(String text, String what, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + text + "': bad " + what + ": " + e.getMessage(), e);
        }
    }

    /** Checks every parameter and writes it in canonical form, in the type's order. */
    private static Map<String, String> canonical(FaultType type, Map<String, String> given) {
        for (String key : given.keySet()) {
            if (!type.parameters().contains(key)) {
                throw new IllegalArgumentException("fault " + type + ": unknown parameter '" + key + "'; "
                        + type + " takes " + String.join(", ", type.parameters()));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : type.parameters()) {
            String value = given.get(key);
            if (value != null) {
                out.put(key, canonicalValue(type, key, value.trim()));
            }
        }
        if (type == FaultType.MALFORMED) {
            checkMalformed(out);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static String canonicalValue(FaultType type, String key, String value) {
        String where = "fault " + type + ": " + key + "=" + value;
        return switch (key) {
            case "factor" -> number(where, value, 0, false, Double.MAX_VALUE, "a number above 0");
            case "fraction" -> number(where, value, 0, false, 1, "a fraction above 0 and at most 1");
            case "percent" -> number(where, value, 0, false, 100, "a percentage above 0 and at most 100");
            case "mb" -> number(where, value, 0, false, Double.MAX_VALUE, "a number of megabytes above 0");
            case "max_bytes" -> {
                try {
                    long bytes = Long.parseLong(value);
                    if (bytes < 1) {
                        throw new NumberFormatException();
                    }
                    yield Long.toString(bytes);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + " is not a whole number of bytes above 0");
                }
            }
            case "reason" -> {
                DeadLetterReason reason = Arrays.stream(DeadLetterReason.values())
                        .filter(r -> r.wireName().equals(value))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(where + " is not a dead-letter reason; known: "
                                + MalformedMessages.reasonNames()));
                if (reason == DeadLetterReason.DUPLICATE) {
                    throw new IllegalArgumentException(where
                            + ": a malformed record cannot be a duplicate; use the duplicate fault");
                }
                if (!MalformedMessages.reasons().contains(reason)) {
                    // integrity_failed, auth_failed: they depend on security settings, not on the record alone
                    throw new IllegalArgumentException(where + ": no malformed record has this reason; known: "
                            + MalformedMessages.reasonNames());
                }
                yield reason.wireName();
            }
            case "variant" -> {
                if (MalformedMessages.byName(value).isEmpty()) {
                    throw new IllegalArgumentException(where + " is not a malformation; see MalformedMessages "
                            + "(like " + MalformedMessages.catalogue().get(0).name() + ")");
                }
                yield value;
            }
            case "delay", "max_delay" -> {
                Duration d;
                try {
                    d = Durations.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage());
                }
                if (key.equals("max_delay") && d.toMillis() <= 0) {
                    throw new IllegalArgumentException(where + ": the delay must be positive");
                }
                yield Durations.format(d);
            }
            default -> throw new IllegalStateException(key);
        };
    }

    private static String number(String where, String value, double above, boolean inclusive, double atMost,
            String expected) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is not " + expected);
        }
        if (!Double.isFinite(d) || d < above || (!inclusive && d == above) || d > atMost) {
            throw new IllegalArgumentException(where + " is not " + expected);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void checkMalformed(Map<String, String> params) {
        String reason = params.get("reason");
        String variant = params.get("variant");
        boolean sized = params.containsKey("max_bytes");
        if (variant != null) {
            MalformedMessages.Malformation m = MalformedMessages.byName(variant).orElseThrow();
            if (reason != null && !m.expectedReason().wireName().equals(reason)) {
                throw new IllegalArgumentException("fault malformed: variant=" + variant + " is a "
                        + m.expectedReason().wireName() + " record, not " + reason);
            }
            if (m.expectedReason() == DeadLetterReason.OVERSIZE && !sized) {
                throw new IllegalArgumentException("fault malformed: variant=" + variant
                        + " needs max_bytes (the consumer's size limit) to exceed");
            }
        } else if (DeadLetterReason.OVERSIZE.wireName().equals(reason) && !sized) {
            throw new IllegalArgumentException(
                    "fault malformed: reason=oversize needs max_bytes (the consumer's size limit) to exceed");
        }
    }

    // ---- typed parameters, with their defaults ----

    /** latency: how many times as long spans take. */
    public double factor() {
        return doubleParam("factor", 5);
    }

    /** errors, incomplete, malformed, duplicate, out_of_order: the share of spans or messages affected. */
    public double fraction() {
        double fallback = switch (type) {
            case ERRORS, INCOMPLETE -> 0.5;
            case MALFORMED, DUPLICATE -> 0.05;
            case OUT_OF_ORDER -> 0.2;
            default -> 0;
        };
        return doubleParam("fraction", fallback);
    }

    /** cpu: the CPU use reported, in percent. */
    public double percent() {
        return doubleParam("percent", 97);
    }

    /** memory: the memory use reported, in MB; empty for 1.5 times each trace's own threshold. */
    public OptionalDouble memoryMb() {
        String mb = parameters.get("mb");
        return mb == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(mb));
    }

    /** malformed: only records of this reason. */
    public Optional<DeadLetterReason> reason() {
        String reason = parameters.get("reason");
        return Arrays.stream(DeadLetterReason.values()).filter(r -> r.wireName().equals(reason)).findFirst();
    }

    /** malformed: only this malformation. */
    public Optional<String> variant() {
        return Optional.ofNullable(parameters.get("variant"));
    }

    /** malformed: the consumer's size limit, which oversize records exceed; empty: no oversize records. */
    public OptionalLong maxBytes() {
        String bytes = parameters.get("max_bytes");
        return bytes == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(bytes));
    }

    /** duplicate: how long after the original the copy is delivered. */
    public Duration delay() {
        String delay = parameters.get("delay");
        return delay == null ? Duration.ZERO : Durations.parse(delay);
    }

    /** out_of_order: the longest delay of a late message. */
    public Duration maxDelay() {
        String delay = parameters.get("max_delay");
        return delay == null ? Duration.ofSeconds(30) : Durations.parse(delay);
    }

    private double doubleParam(String key, double fallback) {
        String value = parameters.get(key);
        return value == null ? fallback : Double.parseDouble(value);
    }

    // ---- where and when ----

    /** True when the fault acts on every service. */
    public boolean anyService() {
        return service.equals(ANY_SERVICE);
    }

    /**
     * True when the fault acts on {@code service} and {@code operation}; a null {@code operation} (a service-wide
     * message) is targeted only by a fault that names no operation.
     */
    public boolean targets(String service, String operation) {
        if (!anyService() && !this.service.equals(service)) {
            return false;
        }
        return this.operation == null || this.operation.equals(operation);
    }

    /** The first instant of the window, for a run that starts at {@code start}. */
    public Instant from(Instant start) {
        return start.plus(offset);
    }

    /** The first instant after the window, or {@link Instant#MAX} for a fault that lasts to the end. */
    public Instant until(Instant start) {
        return duration == null ? Instant.MAX : start.plus(offset).plus(duration);
    }

    /** True when {@code epochMillis} falls in the window of a run that starts at {@code startMillis}. */
    public boolean activeAt(long startMillis, long epochMillis) {
        long from = startMillis + offset.toMillis();
        return epochMillis >= from && (duration == null || epochMillis < from + duration.toMillis());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(type.wireName()).append(':').append(service);
        if (operation != null) {
            text.append('/').append(operation);
        }
        if (!offset.isZero() || duration != null) {
            text.append("@+").append(Durations.format(offset));
            if (duration != null) {
                text.append('/').append(Durations.format(duration));
            }
        }
        String separator = ":";
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            text.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = ",";
        }
        return text.toString();
    }
}
