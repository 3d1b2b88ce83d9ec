package dev.mplp.trace.records;

import java.util.Objects;

/**
 * One evaluation of {@code sustained_breach}: one watched value that an update or metrics message of a span reported
 * (CPU, memory, error rate, latency p95), with the limit of the span's trace it was compared with, as the span
 * session releases the message. A Flink POJO.
 */
public class MetricEvaluation {
    public String serviceName;
    public String operationName;
    /** The spec's metric name, e.g. {@code cpu_usage_percent}. */
    public String metric;
    public double value;
    public double limit;
    /** True when the value is above the limit. */
    public boolean breached;
    /** Event time of the message, epoch ms. */
    public long eventTime;
    public String traceId;
    public String spanId;

    public MetricEvaluation() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricEvaluation other)) {
            return false;
        }
        return value == other.value
                && limit == other.limit
                && breached == other.breached
                && eventTime == other.eventTime
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(operationName, other.operationName)
                && Objects.equals(metric, other.metric)
                && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceName, operationName, metric, eventTime, spanId);
    }

    @Override
    public String toString() {
        return "MetricEvaluation{" + serviceName + "/" + operationName + " " + metric + "=" + value + " vs " + limit
                + (breached ? " BREACHED" : "") + " at " + eventTime + " span " + traceId + "/" + spanId + "}";
    }
}
