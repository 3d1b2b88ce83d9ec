package dev.mplp.trace.cep.rules;

import dev.mplp.trace.cep.Silences;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.records.Alert;
import java.util.List;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops the alerts that a silence matches: one of {@code lifecycle.silences}, or one of the rule document in force
 * ({@link RuntimeRules}), whichever came last. A silence put in force while an incident is open drops its
 * resolution too; lifting it does not bring back what was dropped.
 */
public class RuledSilences extends BroadcastProcessFunction<Alert, RuleSet, Alert> {

    private final Silences configured;

    public RuledSilences(List<Silence> configured) {
        this.configured = new Silences(configured);
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (!configured.filter(alert)) {
            return;
        }
        RuleSet rules = ctx.getBroadcastState(RuntimeRules.IN_FORCE).get(RuntimeRules.IN_FORCE_KEY);
        if (rules != null) {
            for (Silence silence : rules.silences) {
                if (Silences.matches(silence, alert)) {
                    return;
                }
            }
        }
        out.collect(alert);
    }

    @Override
    public void processBroadcastElement(RuleSet rules, Context ctx, Collector<Alert> out) throws Exception {
        ctx.getBroadcastState(RuntimeRules.IN_FORCE).put(RuntimeRules.IN_FORCE_KEY, rules);
    }
}
