package dev.mplp.trace.bench;

/**
 * One alert as row 7 compares them across engines: which rule, about what, from when. Everything else in an alert
 * (texts, values) is the engine's own wording.
 *
 * @param rule {@code sustained_breach} or {@code incomplete_span}
 * @param subject {@code service|operation|metric} for {@code sustained_breach}, {@code trace_id/span_id} for
 *     {@code incomplete_span}
 * @param startMillis event time of the first breach of the match, or of the span's start, epoch ms
 */
record Detected(String rule, String subject, long startMillis) implements Comparable<Detected> {

    static final String SUSTAINED_BREACH = "sustained_breach";
    static final String INCOMPLETE_SPAN = "incomplete_span";

    @Override
    public int compareTo(Detected other) {
        int byRule = rule.compareTo(other.rule);
        if (byRule != 0) {
            return byRule;
        }
        int byTime = Long.compare(startMillis, other.startMillis);
        return byTime != 0 ? byTime : subject.compareTo(other.subject);
    }
}
