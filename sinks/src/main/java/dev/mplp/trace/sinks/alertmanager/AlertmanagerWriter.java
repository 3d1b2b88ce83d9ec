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
 * input, to every Alertmanager ({@link AlertmanagerFanOut}). Posting blocks the task until one Alertmanager took the
 * batch; when none did after the retries it throws, the job restarts from its last checkpoint and posts again what
 * came after it (at-least-once; Alertmanager keeps one alert per label set).
 */
final class AlertmanagerWriter implements SinkWriter<Alert> {

    private final AlertmanagerFanOut alertmanagers;
    private final PostableAlerts postable;
    private final int batchSize;
    private final Duration batchDelay;
    private final Duration drainLimit;
    private final ProcessingTimeService time;
    private final Counter posted;
    private ArrayNode batch = PostableAlerts.array();
    private long batchGeneration;

    AlertmanagerWriter(
            AlertmanagerFanOut alertmanagers,
            PostableAlerts postable,
            int batchSize,
            Duration batchDelay,
            Duration drainLimit,
            ProcessingTimeService time,
            Counter posted) {
        this.alertmanagers = alertmanagers;
        this.postable = postable;
        this.batchSize = batchSize;
        this.batchDelay = batchDelay;
        this.drainLimit = drainLimit;
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
        batch.add(postable.of(alert, Instant.ofEpochMilli(time.getCurrentProcessingTime())));
        if (batch.size() >= batchSize) {
            post();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        post();
        if (endOfInput) {
            alertmanagers.drain(drainLimit);
        }
    }

    private void post() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        ArrayNode sending = batch;
        batch = PostableAlerts.array();
        batchGeneration++;
        alertmanagers.post(sending);
        posted.inc(sending.size());
    }

    @Override
    public void close() {}
}
