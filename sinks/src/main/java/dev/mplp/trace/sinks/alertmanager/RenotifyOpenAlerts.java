package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@code alert_id}: passes every alert on, and while an incident is open sends its triggered alert again
 * every {@code resendInterval} of processing time, since Alertmanager ends a firing alert it stops hearing about.
 * The resolution is sent with the labels of the triggered alert (type, severity, rule, subject), so that
 * Alertmanager resolves the very alert that fired. State and timer are cleared when the incident is resolved.
 *
 * <p>Keyed state (not the sink's), so that open incidents survive restarts and rescaling with their key.
 */
public class RenotifyOpenAlerts extends KeyedProcessFunction<String, Alert, Alert> {

    private final long resendMillis;
    private transient ValueState<Alert> open;
    private transient ValueState<Long> nextResend;

    public RenotifyOpenAlerts(Duration resendInterval) {
        this.resendMillis = resendInterval.toMillis();
    }

    public static String key(Alert alert) {
        return alert.alertId;
    }

    @Override
    public void open(OpenContext openContext) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-alert", Alert.class));
        nextResend = getRuntimeContext().getState(new ValueStateDescriptor<>("next-resend", Types.LONG));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Alert triggered = open.value();
        if (alert.evaluationResult == AlertState.TRIGGERED) {
            open.update(alert);
            if (triggered == null) {
                long at = ctx.timerService().currentProcessingTime() + resendMillis;
                ctx.timerService().registerProcessingTimeTimer(at);
                nextResend.update(at);
            }
            out.collect(alert);
            return;
        }
        if (triggered != null) {
            Alert resolved = alert.copy();
            resolved.alertType = triggered.alertType;
            resolved.severity = triggered.severity;
            resolved.alertRuleId = triggered.alertRuleId;
            resolved.serviceName = triggered.serviceName;
            resolved.operationName = triggered.operationName;
            resolved.metric = triggered.metric;
            alert = resolved;
            ctx.timerService().deleteProcessingTimeTimer(nextResend.value());
            open.clear();
            nextResend.clear();
        }
        out.collect(alert);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Alert triggered = open.value();
        if (triggered == null) {
            return;
        }
        out.collect(triggered);
        long at = timestamp + resendMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        nextResend.update(at);
    }
}
