package dev.mplp.trace.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.util.AccessorStyle;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Esper 9 peer of row 7 (GPL-2.0: in the benchmark module only): both rules in EPL on one Esper runtime, one
 * thread, its clock driven by the events' event time.
 *
 * <p>{@code sustained_breach}: {@code match_recognize} partitioned by (service, operation, metric). Esper's
 * {@code DEFINE} takes no aggregates, so the "at most N − 2 breaches and M − N evaluations inside the limit in
 * between" budget is spelt out as the alternatives of the pattern (every order of the in-between evaluations, each
 * position its own variable); {@code WITHIN} becomes a condition on the last evaluation's time.
 *
 * <p>{@code incomplete_span}: an EPL pattern, {@code every s=SpanStart -> (timer:interval(its own timeout) and not
 * SpanEnd(same span))}: Esper expresses the absence and the per-span timeout directly.
 */
final class PeerEsper {

    static final String ENGINE = "Esper 9 (EPL)";

    /** The {@code incomplete_span} input: a span's start with its own timeout. */
    public static class SpanStart {
        public String traceId;
        public String spanId;
        public long eventTime;
        public double timeoutSeconds;
    }

    /** The {@code incomplete_span} input: a span's completion. */
    public static class SpanEnd {
        public String traceId;
        public String spanId;
    }

    private PeerEsper() {}

    static PeerRun run(PeerEvents input, TraceAnalyticsConfig config) throws EPCompileException, EPDeployException {
        Configuration esper = new Configuration();
        esper.getCommon().getEventMeta().setDefaultAccessorStyle(AccessorStyle.PUBLIC);
        esper.getCommon().addEventType("MetricEvaluation", MetricEvaluation.class);
        esper.getCommon().addEventType("SpanStart", SpanStart.class);
        esper.getCommon().addEventType("SpanEnd", SpanEnd.class);
        // the clock is the events' event time
        esper.getRuntime().getThreading().setInternalTimerEnabled(false);
        String epl = "@name('sustained') " + sustainedBreachEpl(config) + ";\n"
                + "@name('incomplete') " + INCOMPLETE_SPAN_EPL + ";\n";
        EPCompiled compiled = EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(esper));
        EPRuntime runtime = EPRuntimeProvider.getRuntime("bench-" + UUID.randomUUID(), esper);
        try {
            EPDeployment deployment = runtime.getDeploymentService().deploy(compiled);
            List<Detected> detected = new ArrayList<>();
            for (EPStatement statement : deployment.getStatements()) {
                boolean sustained = statement.getName().equals("sustained");
                statement.addListener((newEvents, oldEvents, s, r) -> {
                    for (EventBean event : newEvents) {
                        detected.add(sustained
                                ? new Detected(Detected.SUSTAINED_BREACH, event.get("serviceName") + "|"
                                        + event.get("operationName") + "|" + event.get("metric"),
                                        (Long) event.get("startMillis"))
                                : new Detected(Detected.INCOMPLETE_SPAN,
                                        event.get("traceId") + "/" + event.get("spanId"),
                                        (Long) event.get("startMillis")));
                    }
                });
            }
            long begin = System.nanoTime();
            feed(input, runtime.getEventService(), config);
            double seconds = (System.nanoTime() - begin) / 1e9;
            return new PeerRun(ENGINE, detected, input.size(), seconds);
        } finally {
            runtime.destroy();
        }
    }

    /**
     * Both inputs merged in event-time order. Before an event at time t the clock moves to t − 1, so timers due
     * before t fire first and a completion at exactly a span's deadline still counts as in time (as in ours).
     */
    private static void feed(PeerEvents input, EPEventService events, TraceAnalyticsConfig config) {
        List<MetricEvaluation> evaluations = input.evaluations();
        List<TraceEvent> spans = input.startsAndCompletions();
        Map<String, Long> timeouts = input.timeoutMillis();
        long clock = Long.MIN_VALUE;
        int e = 0;
        int s = 0;
        while (e < evaluations.size() || s < spans.size()) {
            boolean span = e == evaluations.size()
                    || (s < spans.size() && spans.get(s).eventTime <= evaluations.get(e).eventTime);
            long time = span ? spans.get(s).eventTime : evaluations.get(e).eventTime;
            if (time - 1 > clock) {
                clock = time - 1;
                events.advanceTime(clock);
            }
            if (span) {
                TraceEvent event = spans.get(s++);
                if (event.messageType == MessageType.START) {
                    SpanStart start = new SpanStart();
                    start.traceId = event.traceId;
                    start.spanId = event.spanId;
                    start.eventTime = event.eventTime;
                    start.timeoutSeconds = timeouts.get(SpanSession.key(event)) / 1000.0;
                    events.sendEventBean(start, "SpanStart");
                } else {
                    SpanEnd end = new SpanEnd();
                    end.traceId = event.traceId;
                    end.spanId = event.spanId;
                    events.sendEventBean(end, "SpanEnd");
                }
            } else {
                events.sendEventBean(evaluations.get(e++), "MetricEvaluation");
            }
        }
        // the end of the input: every span still waiting times out, as at the end of a bounded Flink run
        events.advanceTime(clock + config.patterns().incompleteSpan().maxTimeout().toMillis() + 1);
    }

    /** {@code match_recognize} with the in-between budget spelt out as alternatives. */
    static String sustainedBreachEpl(TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.SustainedBreach sustained = config.patterns().sustainedBreach();
        int breaches = sustained.breaches() - 2;
        int inside = sustained.evaluations() - sustained.breaches();
        List<String> alternatives = new ArrayList<>();
        List<String> defines = new ArrayList<>();
        for (int insideCount = 0; insideCount <= inside; insideCount++) {
            arrangements(breaches, insideCount, "", alternatives);
        }
        boolean noneBetween = alternatives.remove("");
        StringBuilder pattern = new StringBuilder();
        for (int a = 0; a < alternatives.size(); a++) {
            String arrangement = alternatives.get(a);
            List<String> sequence = new ArrayList<>();
            for (int p = 0; p < arrangement.length(); p++) {
                boolean breach = arrangement.charAt(p) == 'B';
                String variable = (breach ? "B" : "I") + a + "x" + p;
                sequence.add(variable);
                defines.add(variable + " as " + (breach ? "" : "not ") + variable + ".breached");
            }
            pattern.append(a == 0 ? "" : " | ").append(String.join(" ", sequence));
        }
        String between = alternatives.isEmpty() ? "" : " (" + pattern + ")" + (noneBetween ? "?" : "");
        return "select * from MetricEvaluation match_recognize ("
                + " partition by serviceName, operationName, metric"
                + " measures A.serviceName as serviceName, A.operationName as operationName, A.metric as metric,"
                + " A.eventTime as startMillis"
                + " after match skip past last row"
                + " pattern (A" + between + " C)"
                + " define A as A.breached, " + String.join(", ", defines) + (defines.isEmpty() ? "" : ", ")
                + "C as C.breached and C.eventTime - A.eventTime < " + sustained.within().toMillis()
                + ")";
    }

    /** Every sequence of {@code breaches} 'B' and {@code inside} 'I', added to {@code out}. */
    private static void arrangements(int breaches, int inside, String prefix, List<String> out) {
        if (breaches == 0 && inside == 0) {
            out.add(prefix);
            return;
        }
        if (breaches > 0) {
            arrangements(breaches - 1, inside, prefix + "B", out);
        }
        if (inside > 0) {
            arrangements(breaches, inside - 1, prefix + "I", out);
        }
    }

    /** A start not followed by its span's end within the span's own timeout. */
    static final String INCOMPLETE_SPAN_EPL = "select s.traceId as traceId, s.spanId as spanId, "
            + "s.eventTime as startMillis from pattern [every s=SpanStart -> (timer:interval(s.timeoutSeconds) "
            + "and not SpanEnd(traceId = s.traceId, spanId = s.spanId))]";
}
