package dev.mplp.trace.security;

import java.util.Locale;

/** The checks a message can fail in {@code verify} mode: accepted, but counted as unverified. */
public enum SecurityCheck {
    INTEGRITY,
    AUTHENTICATION;

    /** The name in the metric {@code securityFlags} ({@code check} group) and the run summary. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
