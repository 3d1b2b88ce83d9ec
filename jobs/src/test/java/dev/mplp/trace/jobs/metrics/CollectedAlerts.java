package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.records.Alert;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps the alerts a job on the test's MiniCluster (same JVM) sends, the moment they are sent: what a
 * test compares the metrics with while the job still runs.
 */
final class CollectedAlerts implements Sink<Alert> {

    private static final ConcurrentLinkedQueue<Alert> ALERTS = new ConcurrentLinkedQueue<>();

    static void clear() {
        ALERTS.clear();
    }

    static List<Alert> all() {
        return List.copyOf(ALERTS);
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Alert alert, Context context) {
                ALERTS.add(alert.copy());
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
