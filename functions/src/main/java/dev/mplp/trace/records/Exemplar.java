package dev.mplp.trace.records;

import java.util.Objects;

/**
 * One breaching span named in an incident about many: where to look first. A Flink POJO.
 */
public class Exemplar {
    public String traceId;
    public String spanId;
    /** The span's value of the rule's metric, and its own limit, when it breached. */
    public double actualValue;
    public double thresholdValue;
    /** Event time of the breach, epoch ms. */
    public long eventTime;
    /** A link to the trace ({@code detection.incidents.trace-url} filled in); null when none is configured. */
    public String traceUrl;

    public Exemplar() {}

    public static Exemplar of(
            String traceId, String spanId, double actualValue, double thresholdValue, long eventTime, String traceUrl) {
        Exemplar exemplar = new Exemplar();
        exemplar.traceId = traceId;
        exemplar.spanId = spanId;
        exemplar.actualValue = actualValue;
        exemplar.thresholdValue = thresholdValue;
        exemplar.eventTime = eventTime;
        exemplar.traceUrl = traceUrl;
        return exemplar;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exemplar other
                && Double.compare(actualValue, other.actualValue) == 0
                && Double.compare(thresholdValue, other.thresholdValue) == 0
                && eventTime == other.eventTime
                && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId)
                && Objects.equals(traceUrl, other.traceUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId, eventTime);
    }

    @Override
    public String toString() {
        return "Exemplar{trace=" + traceId + " span=" + spanId + " " + actualValue + " vs " + thresholdValue + " at "
                + eventTime + "}";
    }
}
