package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mplp.trace.records.Alert;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;

/**
 * Collects alerts into a batch and posts it when it is full, {@code batchDelay} after its first alert, at every
 * checkpoint ({@link #flush}, before the barrier: what a checkpoint covers has been delivered) and at the end of the
 * input. Posting blocks the task while it retries; when it gives up it throws, the job restarts from its last
 * checkpoint and posts again what came after it (at-least-once; Alertmanager keeps one alert per label set).
 */
final class AlertmanagerWriter implements SinkWriter<Alert> {

    private final AlertmanagerClient client;
    private final int batchSize;
    private final Duration batchDelay;
    private final Duration resendInterval;
    private final ProcessingTimeService time;
    private final Counter posted;
    private ArrayNode batch = PostableAlerts.array();
    private long batchGeneration;

    AlertmanagerWriter(
            AlertmanagerClient client,
            int batchSize,
            Duration batchDelay,
            Duration resendInterval,
            ProcessingTimeService time,
            Counter posted) {
        this.client = client;
        this.batchSize = batchSize;
        this.batchDelay = batchDelay;
        this.resendInterval = resendInterval;
        this.time = time;
        this.posted = posted;
    }

    @Override
    public void write(Alert alert, Context context) throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            long generation = batchGeneration;
            // timers run in the task's mailbox thread, never concurrently with write or flush
            time.registerTimer(time.getCurrentProcessingTime() + batchDelay.toMillis(), now -> {
                if (generation == batchGeneration) {
                    post();
                }
            });
        }
        batch.add(PostableAlerts.of(alert, Instant.ofEpochMilli(time.getCurrentProcessingTime()), resendInterval));
        if (batch.size() >= batchSize) {
            post();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        post();
    }

    private void post() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        ArrayNode sending = batch;
        batch = PostableAlerts.array();
        batchGeneration++;
        client.post(sending);
        posted.inc(sending.size());
    }

    @Override
    public void close() {}
}
