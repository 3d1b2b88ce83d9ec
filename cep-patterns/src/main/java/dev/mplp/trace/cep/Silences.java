package dev.mplp.trace.cep;

import dev.mplp.trace.config.Silence;
import dev.mplp.trace.records.Alert;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * Keeps the alerts no silence of {@code lifecycle.silences} matches ({@link Silence}: service, operation and alert
 * type by name or regular expression, incidents started within its time); it drops triggered and resolved records
 * alike, so an incident is either sent whole or not at all.
 */
public class Silences implements FilterFunction<Alert> {

    private final List<Silence> silences;

    public Silences(List<Silence> silences) {
        this.silences = List.copyOf(silences);
    }

    @Override
    public boolean filter(Alert alert) {
        return silences.stream().noneMatch(silence -> matches(silence, alert));
    }

    /** True when the silence covers the alert's incident. */
    public static boolean matches(Silence silence, Alert alert) {
        return silence.matches(alert.alertType, alert.serviceName, alert.operationName, alert.startedAt);
    }
}
