package dev.mplp.trace.cep;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.util.OutputTag;

/**
 * The benchmark's door to the package-private parts of {@link SustainedBreach}: its pattern and match function, run alone (without the incident trackers around them) to time detection and to
 * compare it with the peers. It lives in the bench module, in this package, so that the shipped classes keep their
 * narrow visibility and nothing of the benchmark reaches the jobs jar.
 */
public final class PatternsForBench {

    private PatternsForBench() {}

    public static Pattern<MetricEvaluation, MetricEvaluation> sustainedBreachPattern(TraceAnalyticsConfig config) {
        return SustainedBreach.breachPattern(config.patterns().sustainedBreach());
    }

    public static PatternProcessFunction<MetricEvaluation, Alert> sustainedBreachAlerts(TraceAnalyticsConfig config) {
        return new SustainedBreach.BreachAlerts(config.patterns().sustainedBreach());
    }

    public static EventComparator<MetricEvaluation> sameTimeOrder() {
        return new SustainedBreach.SameTimeOrder();
    }

    /** The evaluation of one value of a span's message against its limit, as {@link MetricEvaluations} makes it. */
    public static MetricEvaluation evaluation(TraceEvent event, WatchedMetric watched, double value, double limit) {
        return MetricEvaluations.evaluation(event, watched, value, limit);
    }

    /** The value a message reports of a watched metric; null when none. */
    public static Double watchedValue(WatchedMetric metric, Measurements measurements) {
        return metric.valueIn(measurements);
    }

    /** The limit of a watched metric: the trace's own, else the configured default. */
    public static double watchedLimit(WatchedMetric metric, Thresholds own, TraceAnalyticsConfig config) {
        return metric.limit(own, config.detection().thresholds().defaults());
    }
}
