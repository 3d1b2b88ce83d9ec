package dev.mplp.trace.cep.rules;

import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.config.Scoped;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fills the limits of the scoped rules and of the rule document in force into the start messages of spans, where
 * the trace left them out, so that every detector that reads a span's limits from its start (threshold breaches,
 * sustained breaches, incomplete spans) applies them in place of {@code detection.thresholds.defaults}. Each limit
 * comes from the first in line that gives it: the trace's own; the document's first {@code scoped_thresholds}
 * entry that applies to the span's service and operation; the first of {@code detection.thresholds.scoped} that
 * applies; the document's {@code thresholds}; else the detectors use the configured default. (A scoped rule is
 * more specific than any default, whichever came later.) Other messages pass unchanged; a rule change applies to
 * the spans that start after it.
 */
public class RuledThresholds extends BroadcastProcessFunction<TraceEvent, RuleSet, TraceEvent> {

    private final List<ScopedThresholds> configured;

    public RuledThresholds(List<ScopedThresholds> configured) {
        this.configured = List.copyOf(configured);
    }

    @Override
    public void processElement(TraceEvent event, ReadOnlyContext ctx, Collector<TraceEvent> out) throws Exception {
        out.collect(withRuleLimits(event, ctx.getBroadcastState(RuntimeRules.IN_FORCE).get(RuntimeRules.IN_FORCE_KEY),
                configured));
    }

    @Override
    public void processBroadcastElement(RuleSet rules, Context ctx, Collector<TraceEvent> out) throws Exception {
        ctx.getBroadcastState(RuntimeRules.IN_FORCE).put(RuntimeRules.IN_FORCE_KEY, rules);
    }

    /**
     * A start with each limit it does not give taken from the rules in line ({@code rules} null: no document in
     * force); any other message, or a start no rule adds to, as it is.
     */
    static TraceEvent withRuleLimits(TraceEvent event, RuleSet rules, List<ScopedThresholds> configured) {
        if (event.messageType != MessageType.START) {
            return event;
        }
        Thresholds fromRules = limits(Scoped.first(
                        rules == null ? List.of() : Arrays.asList(rules.scopedThresholds),
                        event.serviceName, event.operationName))
                .orElse(limits(Scoped.first(configured, event.serviceName, event.operationName)))
                .orElse(rules == null ? null : rules.thresholds);
        if (fromRules.equals(new Thresholds())) {
            return event;
        }
        TraceEvent enriched = event.copy();
        enriched.thresholds = (event.thresholds == null ? new Thresholds() : event.thresholds).orElse(fromRules);
        return enriched;
    }

    private static Thresholds limits(ScopedThresholds scoped) {
        return scoped == null ? new Thresholds() : scoped.thresholds;
    }
}
