package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Posts batches of alerts to one Alertmanager's {@code POST /api/v2/alerts}. A request that fails for a reason that
 * may pass (no connection, a timeout, HTTP 5xx or 429) is retried with exponential backoff; a refusal (other HTTP
 * 4xx: the request itself is wrong, retrying cannot help) and the last failed retry fail the returned future.
 */
final class AlertmanagerClient {

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final URI alertsUri;
    private final int retries;
    private final Duration retryBackoff;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final String authorization;
    private final Delays delays;

    /** Alertmanager refused the request itself: retrying the same request cannot help. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** How the client waits between attempts: an executor that runs after the backoff; a test can count them. */
    interface Delays {
        Executor after(Duration backoff);

        Delays REAL = backoff -> CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Without authentication, over a plain client; for tests. */
    AlertmanagerClient(
            AlertmanagerLocation location, int retries, Duration retryBackoff, Duration requestTimeout, Delays delays) {
        this(location, retries, retryBackoff, requestTimeout,
                HttpClient.newBuilder().connectTimeout(requestTimeout).build(), null, delays);
    }

    /** @param authorization the {@code Authorization} header's value, or null */
    AlertmanagerClient(
            AlertmanagerLocation location,
            int retries,
            Duration retryBackoff,
            Duration requestTimeout,
            HttpClient http,
            String authorization,
            Delays delays) {
        this.alertsUri = location.alertsUri();
        this.retries = retries;
        this.retryBackoff = retryBackoff;
        this.requestTimeout = requestTimeout;
        this.http = http;
        this.authorization = authorization;
        this.delays = delays;
    }

    /** Posts and waits: throws {@link Refused}, or an {@link IOException} after the last retry. */
    void post(ArrayNode alerts) throws IOException, InterruptedException {
        try {
            post(alerts.toString().getBytes(StandardCharsets.UTF_8), alerts.size()).get();
        } catch (ExecutionException e) {
            throw (IOException) e.getCause();
        }
    }

    /** Posts {@code count} alerts as the JSON {@code body}; completes when accepted, or fails as {@link #post}. */
    CompletableFuture<Void> post(byte[] body, int count) {
        return attempt(body, count, 0, retryBackoff);
    }

    private CompletableFuture<Void> attempt(byte[] body, int count, int attempt, Duration backoff) {
        HttpRequest.Builder request = HttpRequest.newBuilder(alertsUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    String failure;
                    if (error == null) {
                        int status = response.statusCode();
                        if (status / 100 == 2) {
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        failure = "HTTP " + status + ": " + response.body();
                        if (status / 100 == 4 && status != 429) {
                            return CompletableFuture.<Void>failedFuture(new Refused("Alertmanager at " + alertsUri
                                    + " refused " + count + " alerts (not retried): " + failure));
                        }
                    } else {
                        failure = (error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error).toString();
                    }
                    if (attempt >= retries) {
                        return CompletableFuture.<Void>failedFuture(new IOException("could not post " + count
                                + " alerts to Alertmanager at " + alertsUri + " after " + (retries + 1)
                                + " attempts; last: " + failure));
                    }
                    Duration next = nextBackoff(backoff);
                    return CompletableFuture.runAsync(() -> {}, delays.after(backoff))
                            .thenCompose(ignored -> attempt(body, count, attempt + 1, next));
                })
                .thenCompose(result -> result);
    }

    /** Twice the backoff, at most a minute. */
    static Duration nextBackoff(Duration backoff) {
        return backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    @Override
    public String toString() {
        return alertsUri.toString();
    }
}
