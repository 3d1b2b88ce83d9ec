package dev.mplp.trace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A server binary (Prometheus, Alertmanager) run as a child process on a loopback port, with its files in a
 * temporary directory it owns: started and ready ({@code /-/ready} answers 200) on {@link #start}, stopped with its
 * directory deleted on {@link #close}. Output goes to {@code server.log} in that directory, quoted when it fails.
 */
public abstract class LocalHttpService implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String name;
    protected final Path workDir;
    protected final int port;
    private Process process;
    private Thread shutdownHook;

    protected LocalHttpService(String name) {
        this.name = name;
        try {
            this.workDir = Files.createTempDirectory(name + "-");
            this.port = FreePorts.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line, given the files written into {@link #workDir}. */
    protected abstract List<String> command() throws IOException;

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    protected void start() {
        try {
            process = ChildProcesses.start(new ProcessBuilder(command()), workDir, workDir.resolve("server.log"));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("could not start " + name, e);
        } catch (UncheckedIOException e) {
            close();
            throw e;
        }
        shutdownHook = new Thread(() -> process.destroyForcibly(), name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log);
            }
            try {
                if (http.send(request("/-/ready").build(), HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while " + name + " started", e);
            }
            if (Instant.now().isAfter(deadline)) {
                String log = log();
                close();
                throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + ":\n" + log);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    protected HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(url().resolve(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    /** GETs a JSON document; any status but 200 is an error that quotes the body. */
    protected JsonNode getJson(String pathAndQuery) {
        try {
            HttpResponse<String> response =
                    http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        name + " answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
            }
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(workDir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!ChildProcesses.waitForExit(process, STOP_TIMEOUT)) {
                process.destroyForcibly();
                ChildProcesses.waitForExit(process, STOP_TIMEOUT);
            }
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
            shutdownHook = null;
        }
        ChildProcesses.deleteRecursively(workDir);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
