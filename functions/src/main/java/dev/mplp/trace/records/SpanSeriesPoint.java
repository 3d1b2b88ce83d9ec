package dev.mplp.trace.records;

/**
 * The spans of one span series (service, span name, kind, status and the extra dimensions, as the span metrics
 * label them) that ended within one export interval of event time: what one OTLP data point of spanmetrics'
 * {@code calls} and {@code duration} holds (delta temporality), with the slowest span as the exemplar. A Flink POJO.
 */
public class SpanSeriesPoint {
    /** The label values, in the order of the span metrics' label keys. */
    public String[] labelValues;
    /** The interval, epoch ms: [start, end). */
    public long startTime;
    public long endTime;
    public long count;
    public double sumSeconds;
    public double minSeconds;
    public double maxSeconds;
    /** Spans per bucket (not cumulative), one more than the bounds: the last counts those above every bound. */
    public long[] bucketCounts;
    /** The slowest span of the interval: its trace and span id (hex), duration and end time. */
    public String exemplarTraceId;
    public String exemplarSpanId;
    public double exemplarSeconds;
    public long exemplarTime;

    public SpanSeriesPoint() {}
}
