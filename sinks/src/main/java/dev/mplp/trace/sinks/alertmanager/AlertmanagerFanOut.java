package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts every batch to each Alertmanager, as Prometheus does (they are usually an HA cluster that deduplicates among
 * itself). Each gets the batches in order, concurrently with the others, each with its own retries. A batch is
 * delivered as soon as one Alertmanager took it; one that is down or slow does not hold back the others: its posts
 * go on in the background (at most {@value #MAX_PENDING} batches queued for it, further ones are not posted to it),
 * failures are logged and counted, and the open incidents reach it again with the next resend. Only a batch that
 * no Alertmanager took fails the job (at-least-once, as with a single Alertmanager).
 */
final class AlertmanagerFanOut {

    static final int MAX_PENDING = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerFanOut.class);

    private final List<AlertmanagerClient> clients;
    private final List<CompletableFuture<Void>> tails = new ArrayList<>();
    private final AtomicIntegerArray pending;
    private final Counter failures;

    AlertmanagerFanOut(List<AlertmanagerClient> clients, Counter failures) {
        this.clients = List.copyOf(clients);
        this.pending = new AtomicIntegerArray(clients.size());
        this.failures = failures;
        clients.forEach(client -> tails.add(CompletableFuture.completedFuture(null)));
    }

    /** Returns once one Alertmanager took the batch; throws when none did (the first refusal if all refused). */
    void post(ArrayNode alerts) throws IOException, InterruptedException {
        byte[] body = alerts.toString().getBytes(StandardCharsets.UTF_8);
        int count = alerts.size();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        List<IOException> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < clients.size(); i++) {
            AlertmanagerClient client = clients.get(i);
            int target = i;
            if (pending.get(target) >= MAX_PENDING) {
                fail(new IOException("Alertmanager at " + client + " still has " + MAX_PENDING
                        + " batches to retry: " + count + " alerts not posted to it"), errors, failed, delivered);
                continue;
            }
            pending.incrementAndGet(target);
            // after the previous batch to the same Alertmanager, whatever became of it: in order per Alertmanager
            CompletableFuture<Void> post = tails.get(target)
                    .handle((ignored, error) -> null)
                    .thenCompose(ignored -> client.post(body, count));
            tails.set(target, post);
            post.whenComplete((ignored, error) -> {
                pending.decrementAndGet(target);
                if (error == null) {
                    delivered.complete(null);
                } else {
                    Throwable cause = error.getCause() != null && !(error instanceof IOException) ? error.getCause() : error;
                    fail(cause instanceof IOException io ? io : new IOException(cause), errors, failed, delivered);
                }
            });
        }
        try {
            delivered.get();
        } catch (ExecutionException e) {
            throw (IOException) e.getCause();
        }
    }

    /**
     * Waits until every Alertmanager has taken, or given up on, every batch, at most {@code limit} (about what one
     * batch's retries take): at the end of the input, so that a bounded run ends with each Alertmanager holding
     * what it could be given, without waiting out a long queue of an Alertmanager that is down.
     */
    void drain(Duration limit) throws InterruptedException {
        try {
            CompletableFuture.allOf(tails.stream()
                            .map(tail -> tail.handle((ignored, error) -> null))
                            .toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: failures are handled", e);
        } catch (TimeoutException e) {
            LOG.warn("end of input: an Alertmanager still had batches to retry after {}; not waiting longer", limit);
        }
    }

    private void fail(IOException error, List<IOException> errors, AtomicInteger failed, CompletableFuture<Void> delivered) {
        errors.add(error);
        failures.inc();
        if (clients.size() > 1) {
            LOG.warn("{}", error.getMessage());
        }
        if (failed.incrementAndGet() == clients.size()) {
            delivered.completeExceptionally(errors.size() == 1 ? errors.get(0) : allFailed(errors));
        }
    }

    private static IOException allFailed(List<IOException> errors) {
        String messages = errors.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
        return errors.stream().allMatch(AlertmanagerClient.Refused.class::isInstance)
                ? new AlertmanagerClient.Refused("every Alertmanager refused the batch: " + messages)
                : new IOException("no Alertmanager took the batch: " + messages);
    }
}
