package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.AlertTexts;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.Severity;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * {@code degradation_trend}: the slow creep of an operation's latency that {@code performance_degradation} does not
 * see. {@code patterns.degradation-trend.windows} consecutive RED windows of one (service, operation) whose latency
 * p95 is above the band of its baseline (above {@code baseline × (1 + band)}) but none beyond
 * {@code baseline × (1 + max-deviation)}, where a single window is a degradation of its own.
 *
 * <p><b>Input.</b> The {@link ServiceWindow}s of kind {@code operation} with the baseline they were compared with
 * (windows before the baseline warmed up have none and are left out, as are windows of fewer than
 * {@code patterns.degradation-trend.min-spans} spans). Consecutive means adjacent: each window starts
 * where the previous one ended, so a window without traffic (none emitted) breaks the run.
 *
 * <p><b>Incident.</b> Triggered on the first match, renewed by further matches; resolved
 * ({@link AlertResolution#RECOVERED}) by the first window back inside the band. A window beyond the maximum
 * deviation neither continues nor resolves it: that is {@code performance_degradation}'s to report. Not renewed for
 * {@code detection.baseline.idle-timeout} (the operation no longer called, or windows only beyond the maximum
 * deviation, or the end of a bounded input), it ends as {@link AlertResolution#IDLE_EXPIRED}: no window would
 * ever resolve it otherwise.
 */
public final class DegradationTrend {

    public static final String ALERT_TYPE = "degradation_trend";
    public static final String RULE_ID = "trend.latency_p95_ms";
    static final String METRIC = "latency_p95_ms";
    static final String STAGE_ABOVE_BAND = "above-band";

    private DegradationTrend() {}

    /**
     * Wires the pattern: {@code windows} is the stream of RED windows with baselines (both kinds may be in it; only
     * operation windows are read); returns the {@code degradation_trend} incidents, triggered and resolved.
     */
    public static DataStream<Alert> detect(DataStream<ServiceWindow> windows, TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.DegradationTrend trend = config.patterns().degradationTrend();
        long sparseOutput = SparseOutput.bufferTimeout(windows.getExecutionEnvironment());
        KeyedStream<ServiceWindow, String> compared = windows
                .filter(window -> isCompared(window, trend.minSpans()))
                .name("degradation-trend-windows")
                .setBufferTimeout(sparseOutput)
                .keyBy(window -> window.serviceName + "|" + window.operationName);
        DataStream<Alert> matches = CEP.pattern(compared, pattern(trend))
                .inEventTime()
                .process(new TrendAlerts(trend))
                .name("degradation-trend-pattern")
                .uid("degradation-trend-pattern")
                .setBufferTimeout(sparseOutput);
        DataStream<Alert> recoveries = compared
                .filter(window -> ratio(window) <= 1 + trend.band())
                .name("degradation-trend-windows-inside")
                // a filter on a keyed stream: keyed, so given a uid like every keyed operator (OperatorIdentityTest)
                .uid("degradation-trend-windows-inside")
                .setBufferTimeout(sparseOutput)
                .map(DegradationTrend::recoverySignal)
                .name("degradation-trend-recovery-signals")
                .setBufferTimeout(sparseOutput);
        return matches.union(recoveries)
                .keyBy(IncidentTracker::subjectOf)
                .process(IncidentTracker.resolvedWhenIdle(
                        config.detection().baseline().idleTimeout(),
                        AlertResolution.IDLE_EXPIRED,
                        "no latency creep for " + AlertTexts.text(config.detection().baseline().idleTimeout())))
                .name("degradation-trend-incidents")
                .uid("degradation-trend-incidents")
                .setBufferTimeout(sparseOutput);
    }

    /** k adjacent windows above the band and within the maximum deviation, all within T. */
    static Pattern<ServiceWindow, ServiceWindow> pattern(TraceAnalyticsConfig.DegradationTrend trend) {
        return Pattern.<ServiceWindow>begin(STAGE_ABOVE_BAND, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new AboveBandAndAdjacent(trend.band(), trend.maxDeviation()))
                .times(trend.windows())
                .consecutive()
                .within(trend.within());
    }

    /**
     * An operation window of at least {@code minSpans} spans (the minimum-volume guard) that has a latency p95 and a
     * baseline to compare it with.
     */
    static boolean isCompared(ServiceWindow window, long minSpans) {
        return ServiceWindow.KIND_OPERATION.equals(window.kind)
                && window.spanCount >= minSpans
                && window.latencyP95Ms != null
                && window.baselineLatencyP95Ms != null
                && window.baselineLatencyP95Ms > 0;
    }

    /** Latency p95 over its baseline. */
    static double ratio(ServiceWindow window) {
        return window.latencyP95Ms / window.baselineLatencyP95Ms;
    }

    /** Above the band, not beyond the maximum deviation, and starting where the previous window of the run ended. */
    public static class AboveBandAndAdjacent extends IterativeCondition<ServiceWindow> {
        private final double band;
        private final double maxDeviation;

        public AboveBandAndAdjacent(double band, double maxDeviation) {
            this.band = band;
            this.maxDeviation = maxDeviation;
        }

        @Override
        public boolean filter(ServiceWindow window, Context<ServiceWindow> ctx) throws Exception {
            double ratio = ratio(window);
            if (ratio <= 1 + band || ratio > 1 + maxDeviation) {
                return false;
            }
            ServiceWindow previous = null;
            for (ServiceWindow taken : ctx.getEventsForPattern(STAGE_ABOVE_BAND)) {
                previous = taken;
            }
            return previous == null || previous.windowEnd == window.windowStart;
        }
    }

    static Alert recoverySignal(ServiceWindow window) {
        Alert signal = subject(window);
        signal.evaluationResult = AlertState.RESOLVED;
        signal.resolution = AlertResolution.RECOVERED;
        signal.actualValue = window.latencyP95Ms;
        signal.deviationPercent = AlertTexts.deviationPercent(window.latencyP95Ms, window.baselineLatencyP95Ms);
        signal.windowEnd = window.windowEnd;
        signal.evaluationTimestamp = window.windowEnd;
        signal.alertMessage = "latency p95 of " + window.serviceName + " " + window.operationName + " back within "
                + "the band of its baseline: " + AlertTexts.number(window.latencyP95Ms) + " ms against "
                + AlertTexts.number(window.baselineLatencyP95Ms) + " ms";
        return signal;
    }

    private static Alert subject(ServiceWindow window) {
        Alert alert = new Alert();
        alert.alertType = ALERT_TYPE;
        alert.serviceName = window.serviceName;
        alert.operationName = window.operationName;
        alert.metric = METRIC;
        return alert;
    }

    /** Turns a match into a triggered {@code degradation_trend} alert about the (service, operation). */
    static class TrendAlerts extends PatternProcessFunction<ServiceWindow, Alert> {
        private final double band;

        TrendAlerts(TraceAnalyticsConfig.DegradationTrend trend) {
            this.band = trend.band();
        }

        @Override
        public void processMatch(Map<String, List<ServiceWindow>> match, Context ctx, Collector<Alert> out) {
            List<ServiceWindow> run = match.get(STAGE_ABOVE_BAND);
            ServiceWindow first = run.get(0);
            ServiceWindow last = run.get(run.size() - 1);
            Alert alert = subject(last);
            alert.alertRuleId = RULE_ID;
            alert.alertRuleName = "Latency p95 creeping above its baseline";
            alert.alertId = Alert.idOf(ALERT_TYPE, first.serviceName + "/" + first.operationName, RULE_ID,
                    first.windowEnd);
            alert.evaluationResult = AlertState.TRIGGERED;
            alert.severity = Severity.WARNING;
            alert.thresholdValue = last.baselineLatencyP95Ms * (1 + band);
            alert.actualValue = last.latencyP95Ms;
            alert.baselineValue = last.baselineLatencyP95Ms;
            alert.deviationPercent = AlertTexts.deviationPercent(last.latencyP95Ms, last.baselineLatencyP95Ms);
            alert.windowStart = first.windowStart;
            alert.windowEnd = last.windowEnd;
            alert.evaluationTimestamp = last.windowEnd;
            alert.startedAt = first.windowEnd;
            alert.alertMessage = "latency p95 of " + last.serviceName + " " + last.operationName + " above "
                    + AlertTexts.number(band * 100) + " % over its baseline in " + run.size()
                    + " consecutive windows, the last " + AlertTexts.number(last.latencyP95Ms) + " ms against "
                    + AlertTexts.number(last.baselineLatencyP95Ms) + " ms";
            alert.recommendedActions = new String[] {
                "Compare recent deployments and traffic of " + last.serviceName + " with its usual days",
                "Look at the slowest spans of " + last.operationName + " and at its dependencies"
            };
            out.collect(alert);
        }
    }
}
