package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Posts alerts to Alertmanager's v2 API ({@link AlertmanagerWriter}): at-least-once, batched, retried with backoff.
 * Its input should come through {@link RenotifyOpenAlerts}, which posts open incidents again while they last.
 */
public final class AlertmanagerSink implements Sink<Alert> {

    private final AlertmanagerLocation location;
    private final TraceAnalyticsConfig.Alertmanager settings;

    public AlertmanagerSink(AlertmanagerLocation location, TraceAnalyticsConfig.Alertmanager settings) {
        this.location = location;
        this.settings = settings;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new AlertmanagerWriter(
                new AlertmanagerClient(
                        location, settings.retries(), settings.retryBackoff(), settings.requestTimeout()),
                settings.batchSize(),
                settings.batchDelay(),
                settings.resendInterval(),
                context.getProcessingTimeService(),
                context.metricGroup().counter("alertsPostedToAlertmanager"));
    }
}
