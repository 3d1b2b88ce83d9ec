package dev.mplp.trace.config;

import dev.mplp.trace.records.Thresholds;
import java.util.Objects;

/**
 * Limits for the spans of some services and operations ({@code detection.thresholds.scoped}, and the
 * {@code scoped_thresholds} of a rule document): {@code {service: ..., operation: ..., thresholds:
 * {cpu_usage_percent: 70}}}, the limits by the protocol's names; a limit it leaves out comes from the next rule in
 * line. A trace's own limits always win. A Flink POJO.
 */
public class ScopedThresholds extends ScopedRule {
    private static final long serialVersionUID = 1L;

    public Thresholds thresholds;

    public ScopedThresholds() {}

    public ScopedThresholds(NameMatcher service, NameMatcher operation, Thresholds thresholds) {
        this.service = service;
        this.operation = operation;
        this.thresholds = thresholds;
    }

    /** Why the entry cannot be used, or null. */
    public static String problemWith(ScopedThresholds scoped) {
        if (scoped == null || scoped.thresholds == null) {
            return "must give thresholds";
        }
        String scope = Scoped.problemWith(scoped);
        if (scope != null) {
            return scope;
        }
        String limits = scoped.thresholds.problem();
        return limits == null ? null : "thresholds." + limits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopedThresholds other
                && Objects.equals(service, other.service)
                && Objects.equals(operation, other.operation)
                && Objects.equals(thresholds, other.thresholds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, operation, thresholds);
    }

    @Override
    public String toString() {
        return "ScopedThresholds{service=" + service + ", operation=" + operation + ", " + thresholds + "}";
    }
}
