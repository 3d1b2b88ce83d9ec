package dev.mplp.trace.cep.rules;

import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.records.TraceEvent;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Without a control stream of rule documents: fills the limits of {@code detection.thresholds.scoped} into the
 * starts of the spans they apply to, as {@link RuledThresholds} does with a document in force.
 */
public class ScopedThresholdsFill implements MapFunction<TraceEvent, TraceEvent> {

    private final List<ScopedThresholds> configured;

    public ScopedThresholdsFill(List<ScopedThresholds> configured) {
        this.configured = List.copyOf(configured);
    }

    @Override
    public TraceEvent map(TraceEvent event) {
        return RuledThresholds.withRuleLimits(event, null, configured);
    }
}
