package dev.mplp.trace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded Flink's REST API, for what a live run needs from outside the job: which job runs, its checkpoints,
 * and cancelling it (an unbounded Kafka run never ends by itself). The port is chosen here and handed to the job as
 * {@code rest.port}.
 */
final class EmbeddedRest {

    /** Checkpoint counts of a job and its latest completed checkpoint. */
    record Checkpoints(long completed, long failed, long latestDurationMillis, long latestSizeBytes) {}

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    EmbeddedRest() {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded Flink's REST API", e);
        }
    }

    int port() {
        return port;
    }

    /** The running job's id, once the embedded cluster answers and runs one. */
    Optional<String> runningJob() {
        try {
            for (JsonNode job : get("/jobs").path("jobs")) {
                if (job.path("status").asText().equals("RUNNING")) {
                    return Optional.of(job.path("id").asText());
                }
            }
        } catch (IOException e) {
            // not up yet
        }
        return Optional.empty();
    }

    Checkpoints checkpoints(String jobId) throws IOException {
        JsonNode answer = get("/jobs/" + jobId + "/checkpoints");
        JsonNode latest = answer.path("latest").path("completed");
        return new Checkpoints(answer.path("counts").path("completed").asLong(),
                answer.path("counts").path("failed").asLong(), latest.path("end_to_end_duration").asLong(-1),
                latest.path("checkpointed_size").asLong(latest.path("state_size").asLong(-1)));
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode get(String path) throws IOException {
        return Json.mapper().readTree(send(HttpRequest.newBuilder(uri(path)).GET()));
    }

    private String send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException(response.request().uri() + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
