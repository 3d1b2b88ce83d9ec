package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The Flink SQL peer of row 7: both rules as {@code MATCH_RECOGNIZE} queries over the same in-memory events, on the
 * same embedded Flink as ours.
 *
 * <p>{@code sustained_breach}: {@code PATTERN (A M* C) WITHIN T}, where {@code M}'s budget (at most N − 2 breaches,
 * at most M − N evaluations inside the limit) is a running {@code SUM} in {@code DEFINE}, over 0/1 columns a view
 * derives from {@code breached}.
 *
 * <p>{@code incomplete_span}: MATCH_RECOGNIZE cannot express an absence (it has no timed-out partial matches), and
 * its {@code WITHIN} is one constant, not the span's own timeout. The trick: every start is followed, upstream of the
 * query, by a synthetic deadline row at start + the span's own timeout, and the pattern is a start directly followed
 * by its deadline ({@code PATTERN (S D)}), the completion (ordered before a deadline at the same time) breaking it.
 */
final class PeerFlinkSql {

    static final String ENGINE = "Flink SQL MATCH_RECOGNIZE";

    private PeerFlinkSql() {}

    static PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws Exception {
        PeerFlink flink = new PeerFlink(config);
        StreamTableEnvironment tables = StreamTableEnvironment.create(flink.env);
        Schema timed = Schema.newBuilder()
                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                .watermark("rowtime", "SOURCE_WATERMARK()")
                .build();

        DataStream<MetricEvaluation> evaluations = flink.evaluations(input.evaluations());
        tables.createTemporaryView("evaluations", evaluations, timed);
        tables.executeSql("CREATE TEMPORARY VIEW evaluation_bits AS SELECT serviceName, operationName, metric, "
                + "traceId, spanId, `value`, eventTime, rowtime, CASE WHEN breached THEN 1 ELSE 0 END AS b, "
                + "CASE WHEN breached THEN 0 ELSE 1 END AS i FROM evaluations");
        Table breaches = tables.sqlQuery(sustainedBreachQuery(config));
        DataStream<Detected> sustained = tables.toDataStream(breaches)
                .map(row -> new Detected(Detected.SUSTAINED_BREACH, row.getField("serviceName") + "|"
                        + row.getField("operationName") + "|" + row.getField("metric"),
                        (Long) row.getField("startMillis")))
                .name("sustained-breach-detected");

        Map<String, Long> timeouts = input.timeoutMillis();
        long maxTimeout = config.patterns().incompleteSpan().maxTimeout().toMillis();
        DataStream<SpanMark> marks = flink.startsAndCompletions(input.startsAndCompletions())
                .flatMap((TraceEvent event, Collector<SpanMark> out) -> {
                    if (event.messageType == MessageType.START) {
                        out.collect(new SpanMark(event.traceId, event.spanId, SpanMark.START, event.eventTime,
                                event.eventTime));
                        out.collect(new SpanMark(event.traceId, event.spanId, SpanMark.DEADLINE,
                                event.eventTime + timeouts.get(SpanSession.key(event)), event.eventTime));
                    } else {
                        out.collect(new SpanMark(event.traceId, event.spanId, SpanMark.COMPLETION, event.eventTime,
                                event.eventTime));
                    }
                })
                .returns(TypeInformation.of(SpanMark.class))
                .name("marks-with-deadlines")
                // a deadline is at most the maximum timeout ahead of the starts and completions around it
                .assignTimestampsAndWatermarks(WatermarkStrategy.<SpanMark>forBoundedOutOfOrderness(
                                Duration.ofMillis(maxTimeout))
                        .withTimestampAssigner((m, previous) -> m.eventTime))
                .name("mark-times");
        tables.createTemporaryView("span_marks", marks, timed);
        Table incomplete = tables.sqlQuery(INCOMPLETE_SPAN_QUERY);
        DataStream<Detected> incompleteSpans = tables.toDataStream(incomplete)
                .map(row -> new Detected(Detected.INCOMPLETE_SPAN,
                        row.getField("spanTrace") + "/" + row.getField("spanSpan"),
                        (Long) row.getField("startMillis")))
                .name("incomplete-span-detected");

        flink.collect(sustained.union(incompleteSpans), "collect");
        return flink.execute(ENGINE, input.size());
    }

    /** N breaches among at most M consecutive evaluations, first to last within T; as {@code breachPattern}. */
    static String sustainedBreachQuery(TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.SustainedBreach sustained = config.patterns().sustainedBreach();
        int betweenBreaches = sustained.breaches() - 2;
        int inside = sustained.evaluations() - sustained.breaches();
        // an aggregate over no rows is NULL: with N = 2 no breach is allowed in between
        String breachesBetween = "COALESCE(SUM(M.b), 0)";
        return "SELECT serviceName, operationName, metric, startMillis FROM evaluation_bits MATCH_RECOGNIZE ("
                // (the view's columns are in PARTITION BY's order: see INCOMPLETE_SPAN_QUERY)
                + " PARTITION BY serviceName, operationName, metric"
                // ties as the pattern's comparator orders them (the input is sorted so anyway)
                + " ORDER BY rowtime"
                + " MEASURES A.eventTime AS startMillis"
                + " ONE ROW PER MATCH"
                + " AFTER MATCH SKIP PAST LAST ROW"
                + " PATTERN (A M* C) WITHIN " + interval(sustained.within())
                + " DEFINE"
                + "  A AS A.b = 1,"
                + "  M AS (M.b = 1 AND " + breachesBetween + " <= " + betweenBreaches + ")"
                + "    OR (M.b = 0 AND COALESCE(SUM(M.i), 0) <= " + inside + "),"
                + "  C AS C.b = 1 AND " + breachesBetween + " = " + betweenBreaches
                + ")";
    }

    static final String INCOMPLETE_SPAN_QUERY =
            "SELECT spanTrace, spanSpan, startMillis FROM span_marks MATCH_RECOGNIZE ("
                    + " PARTITION BY traceId, spanId"
                    + " ORDER BY rowtime, kind"
                    // the ids from MEASURES: Flink 2.2 gave the PARTITION BY columns of this query swapped values
                    // (the POJO's columns are in alphabetical order, spanId before traceId)
                    + " MEASURES S.traceId AS spanTrace, S.spanId AS spanSpan, S.startTime AS startMillis"
                    + " ONE ROW PER MATCH"
                    + " AFTER MATCH SKIP PAST LAST ROW"
                    + " PATTERN (S D)"
                    + " DEFINE S AS S.kind = " + SpanMark.START + ", D AS D.kind = " + SpanMark.DEADLINE
                    + ")";

    private static String interval(Duration within) {
        long millis = within.toMillis();
        return millis % 60_000 == 0 && millis / 60_000 < 100
                ? "INTERVAL '" + millis / 60_000 + "' MINUTE"
                : String.format("INTERVAL '%d.%03d' SECOND(9, 3)", millis / 1000, millis % 1000);
    }
}
