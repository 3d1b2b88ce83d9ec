package dev.mplp.trace.records;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an incident was resolved: the {@code resolution} of a {@link AlertState#RESOLVED} alert. */
public enum AlertResolution {
    /** The value came back inside the limit, past the hysteresis margin. */
    RECOVERED("recovered"),
    /** The span completed with the incident still open (after its completion was evaluated). */
    SPAN_COMPLETED("span_completed"),
    /** The span sent nothing for the inactivity timeout of event time and never completed. */
    SPAN_EXPIRED("span_expired"),
    /** A baseline deviation ended: the metric's window is back inside its baseline's band. */
    WITHIN_BASELINE("within_baseline"),
    /**
     * A baseline deviation lasted {@code detection.baseline.new-normal-after}: it is a lasting change of level, which
     * the baseline now learns as normal.
     */
    NEW_NORMAL("new_normal"),
    /**
     * The subject of a baseline deviation (a service's operation) had no data for the idle timeout of event time;
     * its baselines were dropped.
     */
    IDLE_EXPIRED("idle_expired");

    private final String wireName;

    AlertResolution(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
