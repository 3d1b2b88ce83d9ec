package dev.mplp.trace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** The parts of Flink's REST API the cluster tests use: jar upload and run, job state, stop with a savepoint. */
public final class FlinkRest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@code POST /jars/upload}: returns the jar's id for {@link #runJar}. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "----trace-analytics-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String path = answer.path("filename").asText();
        return Path.of(path).getFileName().toString();
    }

    /**
     * {@code POST /jars/:id/run}: runs the jar's {@code entryClass} with {@code args} (its main submits the job) and
     * returns the job id.
     *
     * @param savepointPath a savepoint to start from, or null
     */
    public String runJar(String jarId, String entryClass, List<String> args, String savepointPath) throws IOException {
        return runJar(jarId, entryClass, args, savepointPath, 0);
    }

    /**
     * {@link #runJar(String, String, List, String)} with the parallelism {@code flink run -p} gives.
     *
     * @param parallelism 0 for none (the cluster's {@code parallelism.default})
     */
    public String runJar(String jarId, String entryClass, List<String> args, String savepointPath, int parallelism)
            throws IOException {
        ObjectNode request = MAPPER.createObjectNode();
        if (parallelism > 0) {
            request.put("parallelism", parallelism);
        }
        request.put("entryClass", entryClass);
        args.forEach(request.putArray("programArgsList")::add);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
            request.put("allowNonRestoredState", false);
        }
        JsonNode answer = send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(request))));
        return answer.path("jobid").asText();
    }

    /** {@code GET /jobs/:id}: the job's state (RUNNING, RESTARTING, FINISHED, FAILED, ...). */
    public String jobState(String jobId) throws IOException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** {@code GET /jobs/:id/checkpoints}: completed, failed and restored counts and the latest of each. */
    public JsonNode checkpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** Waits until the job is in one of {@code states}; fails at once if it reaches another terminal state. */
    public String awaitJobState(String jobId, Set<String> states, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = jobState(jobId);
            if (states.contains(state)) {
                return state;
            }
            if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new IllegalStateException("job " + jobId + " is " + state + ", not " + states + ": "
                        + get("/jobs/" + jobId + "/exceptions").path("root-exception").asText());
            }
            sleep(500);
        }
        throw new IllegalStateException("job " + jobId + " is still " + state + " after " + timeout);
    }

    /** Waits until every vertex of the job runs (a RUNNING job may still be deploying its tasks). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            boolean allRunning = job.path("state").asText().equals("RUNNING");
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= vertex.path("status").asText().equals("RUNNING");
            }
            if (allRunning) {
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException("not every task of job " + jobId + " runs after " + timeout);
    }

    /**
     * {@code POST /jobs/:id/stop}: stops the job with a savepoint and returns the savepoint's location once it is
     * written. {@code drain} advances event time to its end first (every window and timer fires), as the end of a
     * bounded input does.
     */
    public String stopWithSavepoint(String jobId, boolean drain, Duration timeout) throws IOException {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("drain", drain);
        JsonNode trigger = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(request))));
        String triggerId = trigger.path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IllegalStateException("stop-with-savepoint of job " + jobId + " failed: "
                            + operation.path("failure-cause"));
                }
                return operation.path("location").asText();
            }
            sleep(500);
        }
        throw new IllegalStateException("stop-with-savepoint of job " + jobId + " did not complete in " + timeout);
    }

    /**
     * Waits until the TaskManager with {@code resourceId} has registered ({@code null}: until the REST API answers),
     * failing early if {@code process} dies.
     */
    void awaitTaskManager(String resourceId, Duration timeout, Process process, Supplier<String> logs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("a Flink process exited with code " + process.exitValue()
                        + " while starting\n" + logs.get());
            }
            try {
                JsonNode taskManagers = get("/taskmanagers").path("taskmanagers");
                if (resourceId == null) {
                    return;
                }
                for (JsonNode taskManager : taskManagers) {
                    if (taskManager.path("id").asText().equals(resourceId)) {
                        return;
                    }
                }
            } catch (IOException | IllegalStateException notYet) {
                // not listening yet, or not serving yet
            }
            sleep(300);
        }
        throw new IllegalStateException("the Flink cluster at " + baseUrl + " was not ready within " + timeout + "\n"
                + logs.get());
    }

    public JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
