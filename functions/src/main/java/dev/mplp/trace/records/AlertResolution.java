package dev.mplp.trace.records;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an incident was resolved: the {@code resolution} of a {@link AlertState#RESOLVED} alert. */
public enum AlertResolution {
    /** The value came back inside the limit, past the hysteresis margin. */
    RECOVERED("recovered"),
    /** The span completed with the incident still open (after its completion was evaluated). */
    SPAN_COMPLETED("span_completed"),
    /** The span sent nothing for the inactivity timeout of event time and never completed. */
    SPAN_EXPIRED("span_expired");

    private final String wireName;

    AlertResolution(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
