package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * How many of the spans of some services, operations and rules must breach before an incident opens
 * ({@code detection.incidents.scoped}): {@code {service: ..., operation: ..., rule: "target.max_latency_p95_ms",
 * min-share: 0.2, min-breaches: 10}}. {@code rule} matches the rule id (exact or {@code ~REGEX}; none for every
 * rule); a value it leaves out is the default's. Where a limit sits at the operation's own percentile (a p95
 * target is broken by about 5 % of normal spans), the share has to be above that percentile's tail. A Flink POJO.
 */
public class ScopedIncidentShare extends ScopedRule {
    private static final long serialVersionUID = 1L;

    public NameMatcher rule;

    @JsonProperty("min-share")
    public Double minShare;

    @JsonProperty("min-breaches")
    public Integer minBreaches;

    public ScopedIncidentShare() {}

    public ScopedIncidentShare(
            NameMatcher service, NameMatcher operation, NameMatcher rule, Double minShare, Integer minBreaches) {
        this.service = service;
        this.operation = operation;
        this.rule = rule;
        this.minShare = minShare;
        this.minBreaches = minBreaches;
    }

    public boolean appliesTo(String service, String operation, String ruleId) {
        return appliesTo(service, operation) && NameMatcher.matches(rule, ruleId);
    }

    /** Why the entry cannot be used, or null. */
    public static String problemWith(ScopedIncidentShare scoped) {
        if (scoped == null || (scoped.minShare == null && scoped.minBreaches == null)) {
            return "must give min-share or min-breaches";
        }
        String scope = Scoped.problemWith(scoped);
        if (scope != null) {
            return scope;
        }
        if (scoped.rule != null && scoped.rule.problem() != null) {
            return "rule: " + scoped.rule.problem();
        }
        if (scoped.minShare != null && !(scoped.minShare > 0 && scoped.minShare <= 1)) {
            return "min-share must be above 0 and at most 1";
        }
        if (scoped.minBreaches != null && scoped.minBreaches < 1) {
            return "min-breaches must be at least 1";
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopedIncidentShare other
                && Objects.equals(service, other.service)
                && Objects.equals(operation, other.operation)
                && Objects.equals(rule, other.rule)
                && Objects.equals(minShare, other.minShare)
                && Objects.equals(minBreaches, other.minBreaches);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, operation, rule, minShare, minBreaches);
    }

    @Override
    public String toString() {
        return "ScopedIncidentShare{service=" + service + ", operation=" + operation + ", rule=" + rule
                + ", min-share=" + minShare + ", min-breaches=" + minBreaches + "}";
    }
}
