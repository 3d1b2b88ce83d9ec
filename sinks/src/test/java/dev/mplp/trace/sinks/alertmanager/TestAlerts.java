package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import java.time.Instant;

/** Alerts for the Alertmanager output's tests: a triggered CPU breach of a span, and its resolution. */
public final class TestAlerts {

    public static final String SERVICE = "checkout";
    public static final String OPERATION = "charge";

    private TestAlerts() {}

    public static Alert triggered(String alertId, Severity severity, Instant startedAt) {
        Alert alert = new Alert();
        alert.alertId = alertId;
        alert.alertType = "threshold_breach";
        alert.alertRuleId = "threshold.cpu_usage_percent";
        alert.alertRuleName = "CPU usage threshold";
        alert.evaluationResult = AlertState.TRIGGERED;
        alert.severity = severity;
        alert.serviceName = SERVICE;
        alert.operationName = OPERATION;
        alert.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        alert.spanId = "00f067aa0ba902b7";
        alert.metric = "cpu_usage_percent";
        alert.thresholdValue = 80.0;
        alert.actualValue = 95.0;
        alert.evaluationTimestamp = startedAt.toEpochMilli();
        alert.startedAt = startedAt.toEpochMilli();
        alert.alertMessage = "CPU usage 95.0 % is over the limit of 80.0 %";
        alert.recommendedActions = new String[] {"Check the service's load", "Scale out"};
        return alert;
    }

    public static Alert resolved(Alert triggered, Instant at) {
        Alert alert = triggered.copy();
        alert.evaluationResult = AlertState.RESOLVED;
        alert.resolution = AlertResolution.RECOVERED;
        alert.actualValue = 50.0;
        alert.evaluationTimestamp = at.toEpochMilli();
        return alert;
    }
}
