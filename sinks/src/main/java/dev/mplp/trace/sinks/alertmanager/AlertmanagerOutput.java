package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The Alertmanager output of a job: open incidents renotified, then posted in batches to every Alertmanager. */
public final class AlertmanagerOutput {

    private AlertmanagerOutput() {}

    public static void attach(
            DataStream<Alert> alerts, List<AlertmanagerLocation> locations, TraceAnalyticsConfig.Alertmanager settings) {
        alerts.keyBy(RenotifyOpenAlerts::key)
                .process(new RenotifyOpenAlerts(settings.resendInterval()))
                .name("alertmanager-renotify")
                .uid("alertmanager-renotify")
                .sinkTo(new AlertmanagerSink(locations, settings))
                .name("alertmanager: " + locations.stream().map(Object::toString).collect(Collectors.joining(", ")))
                .uid("alertmanager-sink");
    }
}
