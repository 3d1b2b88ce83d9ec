package dev.mplp.trace.jobs.metrics;

import java.util.List;

/**
 * The names of the metrics dashboards read, in one place: the operators register them under these names, the
 * Grafana dashboard and the alerting rules query them (tests check that they query nothing else) and the README
 * lists them.
 *
 * <p>Flink's Prometheus reporter names a metric {@code flink_} + the logical scope of its group + {@code _} + the
 * metric name, and the logical scope holds the key of every {@code addGroup(key, value)} (the value becomes the
 * label {@code key="value"}): label names end up in the metric name, e.g.
 * {@code flink_taskmanager_job_task_operator_trace_analytics_alert_type_severity_state_…}. The reporter offers no
 * way around that, so the job registers each metric under {@code :} + its Prometheus name
 * ({@link #flinkName}), and one relabelling rule of the scrape ({@code docker/prometheus/prometheus.yml},
 * {@code metric_relabel_configs}) keeps what follows the colon: Prometheus stores {@code trace_analytics_alerts_total}
 * with the labels {@code alert_type}, {@code severity}, {@code state} (and Flink's own: {@code job_name},
 * {@code operator_name}, {@code subtask_index}, …). The names below are those Prometheus names.
 */
public final class DashboardMetricNames {

    /** The user group the job's own metrics are registered in. */
    public static final String GROUP = "trace_analytics";
    /** The user group of the span metrics. */
    public static final String SPAN_METRICS_GROUP = "traces_span_metrics";

    public static final String MESSAGE_TYPE = "message_type";
    public static final String REASON = "reason";
    public static final String ALERT_TYPE = "alert_type";
    public static final String SEVERITY = "severity";
    public static final String STATE = "state";
    /** The bucket label of a histogram: its upper bound in seconds, {@code +Inf} for the last. */
    public static final String LE = "le";
    /** The label of spanmetrics' overflow series, the one series past the cardinality limit. */
    public static final String OVERFLOW = "otel_metric_overflow";

    /** Counter: accepted messages (after deduplication), by {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES_TOTAL = "trace_analytics_messages_total";
    /** Counter: dead letters of every kind (validation, duplicates, rejected rule documents), by {@link #REASON}. */
    public static final String DEAD_LETTERS_TOTAL = "trace_analytics_dead_letters_total";
    /** Counter: alert records sent, by {@link #ALERT_TYPE}, {@link #SEVERITY} and {@link #STATE}. */
    public static final String ALERTS_TOTAL = "trace_analytics_alerts_total";
    /** Gauge: incidents triggered and not yet resolved, by {@link #ALERT_TYPE}; sum over subtasks. */
    public static final String OPEN_INCIDENTS = "trace_analytics_open_incidents";
    /** Gauge: wall clock minus the current event-time watermark in seconds, per subtask of the input. */
    public static final String EVENT_TIME_LAG_SECONDS = "trace_analytics_event_time_lag_seconds";

    /** Counter: completed spans per span series (spanmetrics' {@code calls}). */
    public static final String CALLS_TOTAL = "traces_span_metrics_calls_total";
    /** Counter per bucket: spans no longer than {@link #LE} seconds (spanmetrics' {@code duration}). */
    public static final String DURATION_SECONDS_BUCKET = "traces_span_metrics_duration_seconds_bucket";
    /** Gauge: the sum of the durations in seconds. */
    public static final String DURATION_SECONDS_SUM = "traces_span_metrics_duration_seconds_sum";
    /** Counter: the spans of the histogram, the same as {@link #CALLS_TOTAL}. */
    public static final String DURATION_SECONDS_COUNT = "traces_span_metrics_duration_seconds_count";

    /** Every Prometheus name above. */
    public static final List<String> PROMETHEUS_NAMES = List.of(
            MESSAGES_TOTAL,
            DEAD_LETTERS_TOTAL,
            ALERTS_TOTAL,
            OPEN_INCIDENTS,
            EVENT_TIME_LAG_SECONDS,
            CALLS_TOTAL,
            DURATION_SECONDS_BUCKET,
            DURATION_SECONDS_SUM,
            DURATION_SECONDS_COUNT);

    /** Gauge of a Kafka source only: records of its partitions it has yet to read (FLIP-33), per subtask. */
    public static final String KAFKA_PENDING_RECORDS = "flink_taskmanager_job_task_operator_pendingRecords";

    /** Flink's own metrics that the dashboard's health panels and the alerting rules read. */
    public static final List<String> FLINK_NAMES = List.of(
            "flink_jobmanager_numRunningJobs",
            "flink_jobmanager_job_numRestarts",
            "flink_jobmanager_job_numberOfCompletedCheckpoints",
            "flink_jobmanager_job_numberOfFailedCheckpoints",
            "flink_jobmanager_job_lastCheckpointDuration",
            "flink_taskmanager_job_task_busyTimeMsPerSecond",
            "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
            KAFKA_PENDING_RECORDS);

    private DashboardMetricNames() {}

    /** The name to register a metric under in Flink, so that the scrape's relabelling gives it its Prometheus name. */
    public static String flinkName(String prometheusName) {
        return ":" + prometheusName;
    }
}
