package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * Keeps the alerts no silence of {@code lifecycle.silences} matches. A silence matches an alert when every field it
 * gives (service, operation, alert type) equals the alert's; it drops triggered and resolved records alike, so an
 * incident is either sent whole or not at all.
 */
public class Silences implements FilterFunction<Alert> {

    private final List<TraceAnalyticsConfig.Silence> silences;

    public Silences(List<TraceAnalyticsConfig.Silence> silences) {
        this.silences = List.copyOf(silences);
    }

    @Override
    public boolean filter(Alert alert) {
        return silences.stream().noneMatch(silence -> matches(silence, alert));
    }

    /** True when the alert has every field the silence gives. */
    public static boolean matches(TraceAnalyticsConfig.Silence silence, Alert alert) {
        return (silence.service() == null || silence.service().equals(alert.serviceName))
                && (silence.operation() == null || silence.operation().equals(alert.operationName))
                && (silence.alertType() == null || silence.alertType().equals(alert.alertType));
    }
}
