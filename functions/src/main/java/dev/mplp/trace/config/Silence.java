package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Alerts not to send ({@code lifecycle.silences}, and the {@code silences} of a rule document): those of the
 * services, operations and alert types its matchers match, of incidents that <em>started</em> (their event time
 * {@code started_at}) at or after {@link #startsAt} and before {@link #endsAt}, both optional ISO-8601 instants.
 *
 * <p>Why the incident's start, in event time: the same input then meets the same silences in every mode (a
 * replay, a batch reprocess, any parallelism), and an incident is silenced whole, its triggered and resolved
 * records alike, never one without the other. An incident that started before the silence is not silenced by it;
 * one that started inside it stays silenced after it expires. Written with the configuration's kebab-case names
 * ({@code alert-type}, {@code ends-at}) or the rule documents' snake_case ones ({@code alert_type},
 * {@code ends_at}); a Flink POJO.
 */
public class Silence extends ScopedRule {
    private static final long serialVersionUID = 1L;


    @JsonProperty("alert-type")
    @JsonAlias("alert_type")
    public NameMatcher alertType;

    /** ISO-8601; null: since ever. */
    @JsonProperty("starts-at")
    @JsonAlias("starts_at")
    public String startsAt;

    /** ISO-8601, the expiry; null: never expires. */
    @JsonProperty("ends-at")
    @JsonAlias("ends_at")
    public String endsAt;

    /** Why, and who to ask; not interpreted. */
    public String comment;

    private transient long fromMillis;
    private transient long untilMillis;
    private transient boolean timesParsed;

    public Silence() {}

    public Silence(NameMatcher service, NameMatcher operation, NameMatcher alertType) {
        this.service = service;
        this.operation = operation;
        this.alertType = alertType;
    }

    /** This silence for incidents started in {@code [startsAt, endsAt)}; either may be null. */
    public Silence during(Instant startsAt, Instant endsAt) {
        Silence timed = new Silence(service, operation, alertType);
        timed.startsAt = startsAt == null ? null : startsAt.toString();
        timed.endsAt = endsAt == null ? null : endsAt.toString();
        timed.comment = comment;
        return timed;
    }

    /** True when the silence covers an incident of this alert type, service and operation, started at that time. */
    public boolean matches(String alertTypeName, String serviceName, String operationName, long startedAt) {
        if (!timesParsed) {
            fromMillis = startsAt == null ? Long.MIN_VALUE : Instant.parse(startsAt).toEpochMilli();
            untilMillis = endsAt == null ? Long.MAX_VALUE : Instant.parse(endsAt).toEpochMilli();
            timesParsed = true;
        }
        return startedAt >= fromMillis
                && startedAt < untilMillis
                && NameMatcher.matches(alertType, alertTypeName)
                && appliesTo(serviceName, operationName);
    }

    /**
     * Why the silence cannot be used, or null: it must restrict the alerts by at least one matcher (a silence of
     * everything is written {@code service: "~.*"}), its regular expressions must compile and its times parse.
     */
    public String problem() {
        if (isEmpty(service) && isEmpty(operation) && isEmpty(alertType)) {
            return "must give a service, an operation or an alert type";
        }
        String scope = Scoped.problemWith(this);
        if (scope != null) {
            return scope;
        }
        if (alertType != null && alertType.problem() != null) {
            return "alert type: " + alertType.problem();
        }
        Instant from;
        Instant until;
        try {
            from = startsAt == null ? null : Instant.parse(startsAt);
        } catch (DateTimeParseException e) {
            return "starts-at: '" + startsAt + "' is not an ISO-8601 instant (2025-09-03T10:00:00Z)";
        }
        try {
            until = endsAt == null ? null : Instant.parse(endsAt);
        } catch (DateTimeParseException e) {
            return "ends-at: '" + endsAt + "' is not an ISO-8601 instant (2025-09-03T10:00:00Z)";
        }
        if (from != null && until != null && !until.isAfter(from)) {
            return "ends-at must be after starts-at";
        }
        return null;
    }

    private static boolean isEmpty(NameMatcher matcher) {
        return matcher == null || matcher.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Silence other
                && Objects.equals(service, other.service)
                && Objects.equals(operation, other.operation)
                && Objects.equals(alertType, other.alertType)
                && Objects.equals(startsAt, other.startsAt)
                && Objects.equals(endsAt, other.endsAt)
                && Objects.equals(comment, other.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, operation, alertType, startsAt, endsAt);
    }

    @Override
    public String toString() {
        return "Silence{service=" + service + ", operation=" + operation + ", alertType=" + alertType
                + ", startsAt=" + startsAt + ", endsAt=" + endsAt + "}";
    }
}
