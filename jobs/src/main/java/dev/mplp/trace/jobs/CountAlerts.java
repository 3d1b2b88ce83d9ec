package dev.mplp.trace.jobs;

import dev.mplp.trace.records.Alert;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts the alerts a run sends, by type and evaluation result, in job accumulators ({@value #PREFIX}TYPE RESULT),
 * for the run's summary whatever the alerts' destination (files, Kafka, Alertmanager).
 */
final class CountAlerts extends RichMapFunction<Alert, Alert> {

    static final String PREFIX = "alerts ";

    private transient Map<String, LongCounter> counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new HashMap<>();
    }

    @Override
    public Alert map(Alert alert) {
        String name = PREFIX + alert.alertType + " "
                + (alert.evaluationResult == null ? "" : alert.evaluationResult.wireName());
        counters.computeIfAbsent(name, key -> {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(key, counter);
            return counter;
        }).add(1);
        return alert;
    }
}
