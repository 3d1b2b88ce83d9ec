package dev.mplp.trace.jobs.metrics;

import java.util.List;

/**
 * The names of the metrics dashboards read, in one place: the operators register them under these names, the
 * Grafana dashboard queries them (a test checks that it queries nothing else) and the README lists them.
 *
 * <p>Every metric is in the user group {@value #GROUP} of its operator; a label is a key/value group
 * ({@code addGroup(key, value)}), which Flink's Prometheus reporter turns into a label whose key also becomes part
 * of the metric's name. The Prometheus names are therefore {@code flink_taskmanager_job_task_operator_} + group +
 * label keys + metric name.
 */
public final class DashboardMetricNames {

    /** The user group all dashboard metrics are registered in. */
    public static final String GROUP = "trace_analytics";

    public static final String MESSAGE_TYPE = "message_type";
    public static final String REASON = "reason";
    public static final String ALERT_TYPE = "alert_type";
    public static final String SEVERITY = "severity";
    public static final String STATE = "state";
    public static final String SERVICE = "service";
    public static final String OPERATION = "operation";

    /** Counter: accepted messages (after deduplication), by {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES = "messages";
    /** Counter: dead letters of every kind (validation, duplicates, rejected rule documents), by {@link #REASON}. */
    public static final String DEAD_LETTERS = "dead_letters";
    /** Counter: alert records sent, by {@link #ALERT_TYPE}, {@link #SEVERITY} and {@link #STATE}. */
    public static final String ALERTS = "alerts";
    /** Gauge: incidents triggered and not yet resolved, by {@link #ALERT_TYPE}; sum over subtasks. */
    public static final String OPEN_INCIDENTS = "open_incidents";
    /** Gauge: wall clock minus the current event-time watermark in milliseconds, per subtask of the input. */
    public static final String EVENT_TIME_LAG_MS = "event_time_lag_ms";

    /** Counter: completed spans in the closed RED windows, by {@link #SERVICE} and {@link #OPERATION}. */
    public static final String SPANS = "spans";
    /** Counter: failed spans among {@link #SPANS}. */
    public static final String ERROR_SPANS = "error_spans";
    /** Gauge: latency p95 of the latest closed RED window, by {@link #SERVICE} and {@link #OPERATION}. */
    public static final String LATENCY_P95_MS = "latency_p95_ms";

    private static final String PROMETHEUS_PREFIX = "flink_taskmanager_job_task_operator_" + GROUP + "_";

    public static final String PROMETHEUS_MESSAGES = PROMETHEUS_PREFIX + MESSAGE_TYPE + "_" + MESSAGES;
    public static final String PROMETHEUS_DEAD_LETTERS = PROMETHEUS_PREFIX + REASON + "_" + DEAD_LETTERS;
    public static final String PROMETHEUS_ALERTS =
            PROMETHEUS_PREFIX + ALERT_TYPE + "_" + SEVERITY + "_" + STATE + "_" + ALERTS;
    public static final String PROMETHEUS_OPEN_INCIDENTS = PROMETHEUS_PREFIX + ALERT_TYPE + "_" + OPEN_INCIDENTS;
    public static final String PROMETHEUS_EVENT_TIME_LAG_MS = PROMETHEUS_PREFIX + EVENT_TIME_LAG_MS;
    private static final String PROMETHEUS_RED_PREFIX = PROMETHEUS_PREFIX + SERVICE + "_" + OPERATION + "_";
    public static final String PROMETHEUS_SPANS = PROMETHEUS_RED_PREFIX + SPANS;
    public static final String PROMETHEUS_ERROR_SPANS = PROMETHEUS_RED_PREFIX + ERROR_SPANS;
    public static final String PROMETHEUS_LATENCY_P95_MS = PROMETHEUS_RED_PREFIX + LATENCY_P95_MS;

    /** Every Prometheus name above. */
    public static final List<String> PROMETHEUS_NAMES = List.of(
            PROMETHEUS_MESSAGES,
            PROMETHEUS_DEAD_LETTERS,
            PROMETHEUS_ALERTS,
            PROMETHEUS_OPEN_INCIDENTS,
            PROMETHEUS_EVENT_TIME_LAG_MS,
            PROMETHEUS_SPANS,
            PROMETHEUS_ERROR_SPANS,
            PROMETHEUS_LATENCY_P95_MS);

    private DashboardMetricNames() {}
}
