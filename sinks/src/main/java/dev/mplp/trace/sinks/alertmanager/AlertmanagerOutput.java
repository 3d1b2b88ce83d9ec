package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The Alertmanager output of a job: open incidents renotified, then posted in batches. */
public final class AlertmanagerOutput {

    private AlertmanagerOutput() {}

    public static void attach(
            DataStream<Alert> alerts, AlertmanagerLocation location, TraceAnalyticsConfig.Alertmanager settings) {
        alerts.keyBy(RenotifyOpenAlerts::key)
                .process(new RenotifyOpenAlerts(settings.resendInterval()))
                .name("alertmanager-renotify")
                .uid("alertmanager-renotify")
                .sinkTo(new AlertmanagerSink(location, settings))
                .name("alertmanager: " + location)
                .uid("alertmanager-sink");
    }
}
