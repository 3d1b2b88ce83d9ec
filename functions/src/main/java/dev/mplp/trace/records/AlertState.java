package dev.mplp.trace.records;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether an {@link Alert} opens or closes its incident. The wire names are the protocol's
 * {@code alert_evaluations[].evaluation_result} values.
 */
public enum AlertState {
    /** The incident starts: the first evaluation that found the limit crossed. */
    TRIGGERED("triggered"),
    /** The incident ends: the value is back inside the limit (with hysteresis), or the span completed or expired. */
    RESOLVED("resolved");

    private final String wireName;

    AlertState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
