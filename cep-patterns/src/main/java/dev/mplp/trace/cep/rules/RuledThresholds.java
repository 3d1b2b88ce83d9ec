package dev.mplp.trace.cep.rules;

import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fills the thresholds of the rule document in force into the start messages of spans whose trace left them out,
 * so that every detector that reads a span's limits from its start (threshold breaches, sustained breaches,
 * incomplete spans) applies them in place of {@code detection.thresholds.defaults}. A trace's own limits always
 * win. Other messages pass unchanged; a rule change applies to the spans that start after it.
 */
public class RuledThresholds extends BroadcastProcessFunction<TraceEvent, RuleSet, TraceEvent> {

    @Override
    public void processElement(TraceEvent event, ReadOnlyContext ctx, Collector<TraceEvent> out) throws Exception {
        RuleSet rules = ctx.getBroadcastState(RuntimeRules.IN_FORCE).get(RuntimeRules.IN_FORCE_KEY);
        if (event.messageType != MessageType.START || rules == null || rules.thresholds == null) {
            out.collect(event);
            return;
        }
        out.collect(withRuleLimits(event, rules.thresholds));
    }

    @Override
    public void processBroadcastElement(RuleSet rules, Context ctx, Collector<TraceEvent> out) throws Exception {
        ctx.getBroadcastState(RuntimeRules.IN_FORCE).put(RuntimeRules.IN_FORCE_KEY, rules);
    }

    /** A copy of the start with each limit it does not give taken from the rules. */
    static TraceEvent withRuleLimits(TraceEvent start, Thresholds rule) {
        Thresholds own = start.thresholds == null ? new Thresholds() : start.thresholds;
        Thresholds merged = new Thresholds();
        merged.durationMs = own.durationMs != null ? own.durationMs : rule.durationMs;
        merged.cpuUsagePercent = own.cpuUsagePercent != null ? own.cpuUsagePercent : rule.cpuUsagePercent;
        merged.memoryUsageMb = own.memoryUsageMb != null ? own.memoryUsageMb : rule.memoryUsageMb;
        merged.errorRatePercent = own.errorRatePercent != null ? own.errorRatePercent : rule.errorRatePercent;
        merged.maxLatencyP95Ms = own.maxLatencyP95Ms != null ? own.maxLatencyP95Ms : rule.maxLatencyP95Ms;
        merged.minThroughputOpsPerSec =
                own.minThroughputOpsPerSec != null ? own.minThroughputOpsPerSec : rule.minThroughputOpsPerSec;
        merged.maxErrorRatePercent =
                own.maxErrorRatePercent != null ? own.maxErrorRatePercent : rule.maxErrorRatePercent;
        TraceEvent enriched = start.copy();
        enriched.thresholds = merged;
        return enriched;
    }
}
