package dev.mplp.trace.records;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent an {@link Alert} is; the wire names are the protocol's {@code alert_evaluations[].severity} values. */
public enum Severity {
    INFO("info"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wireName;

    Severity(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
