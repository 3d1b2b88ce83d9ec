package dev.mplp.trace.config;

import java.util.List;

/**
 * A rule that applies to some services and operations only (a silence, scoped thresholds, a scoped incident share):
 * to those its {@link #service()} and {@link #operation()} matchers both match; a null matcher matches every name.
 * Scoped rules are listed in order, and the first that applies wins ({@link #first}); what none applies to gets the
 * default.
 */
public interface Scoped {

    /** The services the rule applies to; null for all. */
    NameMatcher service();

    /** The operations the rule applies to; null for all. */
    NameMatcher operation();

    default boolean appliesTo(String service, String operation) {
        return NameMatcher.matches(service(), service) && NameMatcher.matches(operation(), operation);
    }

    /** The first of {@code rules} that applies to the service and operation, or null when none does. */
    static <T extends Scoped> T first(List<T> rules, String service, String operation) {
        for (T rule : rules) {
            if (rule.appliesTo(service, operation)) {
                return rule;
            }
        }
        return null;
    }

    /** Why a rule's matchers cannot be used, prefixed with the matcher's name, or null. */
    static String problemWith(Scoped rule) {
        if (rule.service() != null && rule.service().problem() != null) {
            return "service: " + rule.service().problem();
        }
        if (rule.operation() != null && rule.operation().problem() != null) {
            return "operation: " + rule.operation().problem();
        }
        return null;
    }
}
