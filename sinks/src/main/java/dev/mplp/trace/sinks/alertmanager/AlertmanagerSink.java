package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.security.Secrets;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * Posts alerts to the v2 API of one or more Alertmanagers ({@link AlertmanagerWriter}): at-least-once, batched,
 * retried with backoff, each alert to every Alertmanager. Its input should come through {@link RenotifyOpenAlerts},
 * which posts open incidents again while they last. Credentials and trust are read where the writer runs.
 */
public final class AlertmanagerSink implements Sink<Alert> {

    private final List<AlertmanagerLocation> locations;
    private final TraceAnalyticsConfig.Alertmanager settings;

    public AlertmanagerSink(List<AlertmanagerLocation> locations, TraceAnalyticsConfig.Alertmanager settings) {
        this.locations = List.copyOf(locations);
        this.settings = settings;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        Secrets secrets = Secrets.fromEnvironment();
        HttpClient http = AlertmanagerConnection.httpClient(settings, secrets);
        String authorization = AlertmanagerConnection.authorization(settings, secrets);
        List<AlertmanagerClient> clients = locations.stream()
                .map(location -> new AlertmanagerClient(location, settings.retries(), settings.retryBackoff(),
                        settings.requestTimeout(), http, authorization, AlertmanagerClient.Delays.REAL))
                .toList();
        return new AlertmanagerWriter(
                new AlertmanagerFanOut(clients, context.metricGroup()
                        .counter("alertmanagerPostFailures", new ThreadSafeSimpleCounter())),
                new PostableAlerts(settings),
                settings.batchSize(),
                settings.batchDelay(),
                retriesTake(settings),
                context.getProcessingTimeService(),
                context.metricGroup().counter("alertsPostedToAlertmanager"));
    }

    /** At most how long one batch's attempts and backoffs take. */
    static Duration retriesTake(TraceAnalyticsConfig.Alertmanager settings) {
        Duration total = settings.requestTimeout().multipliedBy(settings.retries() + 1L);
        Duration backoff = settings.retryBackoff();
        for (int i = 0; i < settings.retries(); i++) {
            total = total.plus(backoff);
            backoff = AlertmanagerClient.nextBackoff(backoff);
        }
        return total;
    }
}
