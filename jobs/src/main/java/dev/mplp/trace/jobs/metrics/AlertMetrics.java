package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Passes the alerts the lifecycle sends on unchanged, counting them by type, severity and state, and keeps the
 * number of open incidents by type (triggered minus resolved; the lifecycle sends each incident once triggered and
 * once resolved).
 *
 * <p>The open counts are checkpointed, so that a restart neither forgets the incidents still open nor counts them
 * twice when the records after the checkpoint are replayed. Each subtask keeps its own difference; after rescaling,
 * a subtask may see the resolution of an incident another one saw triggered, so a single subtask's value can be
 * off, even negative, but the sum over subtasks (what dashboards show) is right.
 */
public class AlertMetrics extends RichMapFunction<Alert, Alert> implements CheckpointedFunction {

    private transient MetricGroup group;
    private transient Map<String, Counter> sent;
    private transient Map<String, Long> open;
    private transient ListState<Tuple2<String, Long>> openState;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("open-incidents", Types.TUPLE(Types.STRING, Types.LONG)));
        // read by the metric reporter's thread
        open = new ConcurrentHashMap<>();
        for (Tuple2<String, Long> entry : openState.get()) {
            open.merge(entry.f0, entry.f1, Long::sum);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup(DashboardMetricNames.GROUP);
        sent = new HashMap<>();
        open.keySet().forEach(this::registerOpenGauge);
    }

    @Override
    public Alert map(Alert alert) {
        String type = alert.alertType == null ? "unknown" : alert.alertType;
        String severity = alert.severity == null ? "unknown" : alert.severity.wireName();
        String state = alert.evaluationResult == null ? "unknown" : alert.evaluationResult.wireName();
        sent.computeIfAbsent(type + '\0' + severity + '\0' + state, key -> group.addGroup(
                                DashboardMetricNames.ALERT_TYPE, type)
                        .addGroup(DashboardMetricNames.SEVERITY, severity)
                        .addGroup(DashboardMetricNames.STATE, state)
                        .counter(DashboardMetricNames.flinkName(DashboardMetricNames.ALERTS_TOTAL)))
                .inc();
        if (alert.evaluationResult != null) {
            if (!open.containsKey(type)) {
                open.put(type, 0L);
                registerOpenGauge(type);
            }
            open.merge(type, alert.evaluationResult == AlertState.TRIGGERED ? 1L : -1L, Long::sum);
        }
        return alert;
    }

    private void registerOpenGauge(String type) {
        group.addGroup(DashboardMetricNames.ALERT_TYPE, type)
                .gauge(
                        DashboardMetricNames.flinkName(DashboardMetricNames.OPEN_INCIDENTS),
                        (Gauge<Long>) () -> open.getOrDefault(type, 0L));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openState.clear();
        for (Map.Entry<String, Long> entry : open.entrySet()) {
            openState.add(Tuple2.of(entry.getKey(), entry.getValue()));
        }
    }
}
