package dev.mplp.trace.sinks.alertmanager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts batches of alerts to {@code POST /api/v2/alerts}. A request that fails for a reason that may pass (no
 * connection, a timeout, HTTP 5xx or 429) is retried with exponential backoff; a refusal (other HTTP 4xx: the
 * request itself is wrong, retrying cannot help) and the last failed retry throw, which fails the job.
 */
final class AlertmanagerClient {

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final URI alertsUri;
    private final int retries;
    private final Duration retryBackoff;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Alertmanager refused the request itself: retrying the same request cannot help. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** How the client waits between attempts; a test can count the waits instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    AlertmanagerClient(AlertmanagerLocation location, int retries, Duration retryBackoff, Duration requestTimeout) {
        this(location, retries, retryBackoff, requestTimeout, duration -> Thread.sleep(duration.toMillis()));
    }

    AlertmanagerClient(
            AlertmanagerLocation location,
            int retries,
            Duration retryBackoff,
            Duration requestTimeout,
            Sleeper sleeper) {
        this.alertsUri = location.alertsUri();
        this.retries = retries;
        this.retryBackoff = retryBackoff;
        this.requestTimeout = requestTimeout;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    void post(ArrayNode alerts) throws IOException, InterruptedException {
        byte[] body = alerts.toString().getBytes(StandardCharsets.UTF_8);
        Duration backoff = retryBackoff;
        for (int attempt = 0; ; attempt++) {
            String failure;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(alertsUri)
                                .timeout(requestTimeout)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                failure = "HTTP " + status + ": " + response.body();
                if (status / 100 == 4 && status != 429) {
                    throw new Refused("Alertmanager at " + alertsUri + " refused " + alerts.size()
                            + " alerts (not retried): " + failure);
                }
            } catch (Refused e) {
                throw e;
            } catch (IOException e) {
                failure = e.toString();
            }
            if (attempt >= retries) {
                throw new IOException("could not post " + alerts.size() + " alerts to Alertmanager at " + alertsUri
                        + " after " + (retries + 1) + " attempts; last: " + failure);
            }
            sleeper.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }
}
