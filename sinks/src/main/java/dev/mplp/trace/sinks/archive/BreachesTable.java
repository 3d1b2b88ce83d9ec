package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.Column.Kind.DOUBLE;
import static dev.mplp.trace.sinks.archive.Column.Kind.STRING;
import static dev.mplp.trace.sinks.archive.Column.Kind.TIMESTAMP;

import dev.mplp.trace.records.Alert;

/**
 * {@code breaches/}: every span that broke its own limit of a rule (the triggered record of a per-span
 * {@code threshold_breach} or {@code incomplete_span}): the evidence behind the incidents per (service, operation,
 * rule). Partitioned by {@code event_time}, the breach's.
 */
public final class BreachesTable {

    public static final ArchiveTable<Alert> TABLE = ArchiveTable.<Alert>builder(
                    "breaches", 1, breach -> breach.evaluationTimestamp)
            .required("event_time", TIMESTAMP, b -> b.evaluationTimestamp)
            .optional("trace_id", STRING, b -> b.traceId)
            .optional("span_id", STRING, b -> b.spanId)
            .optional("service_name", STRING, b -> b.serviceName)
            .optional("operation_name", STRING, b -> b.operationName)
            .optional("alert_type", STRING, b -> b.alertType)
            .optional("alert_rule_id", STRING, b -> b.alertRuleId)
            .optional("metric", STRING, b -> b.metric)
            .optional("severity", STRING, b -> b.severity == null ? null : b.severity.wireName())
            .optional("threshold_value", DOUBLE, b -> b.thresholdValue)
            .optional("actual_value", DOUBLE, b -> b.actualValue)
            .optional("deviation_percent", DOUBLE, b -> b.deviationPercent)
            .required("breach_id", STRING, b -> b.alertId)
            .build();

    private BreachesTable() {}
}
