package dev.mplp.trace.bench;

/**
 * A row of the Flink SQL {@code incomplete_span} peer: a span's start, its completion, or its deadline (start + the
 * span's own timeout). The deadline is the trick MATCH_RECOGNIZE needs for an absence: it has no timeout output, so
 * "no completion in time" must be an event it can match, {@code start} followed directly by {@code deadline}.
 * A Flink POJO.
 */
public class SpanMark {
    public static final int START = 0;
    public static final int COMPLETION = 1;
    public static final int DEADLINE = 2;

    public String traceId;
    public String spanId;
    /** {@link #START}, {@link #COMPLETION} or {@link #DEADLINE}: also the order of marks at the same time. */
    public int kind;
    /** When the mark happens, epoch ms. */
    public long eventTime;
    /** The span's start, epoch ms. */
    public long startTime;

    public SpanMark() {}

    SpanMark(String traceId, String spanId, int kind, long eventTime, long startTime) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.kind = kind;
        this.eventTime = eventTime;
        this.startTime = startTime;
    }
}
