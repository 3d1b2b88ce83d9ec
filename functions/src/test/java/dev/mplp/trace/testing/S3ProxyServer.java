package dev.mplp.trace.testing;

import dev.mplp.trace.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real S3-compatible server on loopback: S3Proxy (its jar-with-dependencies, which {@code docker/services} copies
 * to {@code target/s3proxy/s3proxy.jar}) run as a child JVM with the {@code filesystem-nio2} backend, which keeps
 * each bucket as a directory and each object as a file under {@link #dataDir()}. Signed requests (AWS v2 or v4)
 * with this instance's own random credentials are required, as on real S3.
 *
 * <p>Each instance owns a temporary directory and a free port picked at start; {@link #stop()} ends the process and
 * deletes the directory, {@link #stopProcess()} and {@link #restart()} keep both, {@link #pause()} and
 * {@link #resume()} freeze the process (outages in fault tests).
 */
public final class S3ProxyServer implements AutoCloseable {

    /** Marks our children on their command line, so a later run can find orphans. */
    private static final String OWNER_PROPERTY = "mplp.test.s3proxy.owner";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path jar;
    private final String accessKey = "test-" + UUID.randomUUID();
    private final String secretKey = UUID.randomUUID().toString();
    private volatile Path workDir;
    private volatile Process process;
    private int port;
    private Thread shutdownHook;

    public S3ProxyServer() {
        this(locateJar());
    }

    public S3ProxyServer(Path jar) {
        this.jar = jar;
    }

    /** Starts the server and waits until it answers HTTP requests. */
    public synchronized S3ProxyServer start() {
        if (workDir != null) {
            throw new IllegalStateException("already started: " + endpoint());
        }
        reapOrphans();
        try {
            workDir = Files.createTempDirectory("s3proxy-");
            Files.createDirectories(dataDir());
            port = FreePorts.next();
            Files.writeString(workDir.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.identity=" + accessKey,
                    "jclouds.credential=" + secretKey,
                    "jclouds.filesystem.basedir=" + dataDir(),
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            deleteWorkDir();
            throw new UncheckedIOException(e);
        }
        shutdownHook = new Thread(this::destroyNow, "s3proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            launch();
            awaitReady();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The backend's directory: one directory per bucket, one file per object. */
    public Path dataDir() {
        return workDir.resolve("data");
    }

    /** Creates a bucket (a directory of the filesystem backend) and returns the directory of its objects. */
    public Path createBucket(String name) {
        try {
            return Files.createDirectories(dataDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create bucket " + name, e);
        }
    }

    /**
     * Stops the process, as an outage would, keeping its port, credentials and data: {@link #restart()} brings the
     * same store back.
     */
    public synchronized void stopProcess() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
        process = null;
    }

    /**
     * Freezes the process (SIGSTOP) until {@link #resume()}: an outage in which the store answers nothing but loses
     * nothing. A stopped process ({@link #stopProcess()}) can be cut off in the middle of a request that S3 performs
     * atomically: S3Proxy's filesystem backend, killed while completing a multipart upload, has been seen to keep
     * neither the upload nor the object, so the completion a checkpoint promised can never be made.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} server run on: it answers the requests that waited. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("S3Proxy does not run");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!ChildProcesses.waitForExit(kill, STOP_TIMEOUT) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to S3Proxy", e);
        }
    }

    /** Starts the server again (after {@link #stopProcess()}) on the same port with the same data. */
    public synchronized void restart() {
        if (workDir == null) {
            throw new IllegalStateException("S3Proxy was not started");
        }
        stopProcess();
        launch();
        awaitReady();
    }

    /** Stops the server (SIGTERM, then SIGKILL after a timeout) and deletes its directory. */
    public synchronized void stop() {
        stopProcess();
        deleteWorkDir();
        ChildProcesses.removeShutdownHook(shutdownHook);
        shutdownHook = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                ChildProcesses.javaBinary(),
                "-Xms32m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                ChildProcesses.ownerArgument(OWNER_PROPERTY),
                "-DLOG_LEVEL=warn",
                "-jar", jar.toString(),
                "--properties", workDir.resolve("s3proxy.properties").toString()));
        process = ChildProcesses.start(new ProcessBuilder(command), workDir, workDir.resolve("s3proxy.out"));
    }

    /** Ready once it answers HTTP at all: an unsigned request is refused (403), which proves it serves. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Proxy exited with code " + process.exitValue() + " while starting\n" + logTail());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                connection.setConnectTimeout(1_000);
                connection.setReadTimeout(2_000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("S3Proxy at " + endpoint() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s\n" + logTail());
    }

    private String logTail() {
        return ChildProcesses.tail(List.of(workDir.resolve("s3proxy.out")));
    }

    private void destroyNow() {
        ChildProcesses.destroyNow(process);
        Path dir = workDir;
        if (dir != null) {
            ChildProcesses.deleteRecursively(dir);
        }
    }

    private void deleteWorkDir() {
        if (workDir != null) {
            ChildProcesses.deleteRecursively(workDir);
            workDir = null;
        }
    }

    private static void reapOrphans() {
        ChildProcesses.reapOrphans(OWNER_PROPERTY, args -> {
            // the last argument is <workDir>/s3proxy.properties
            Path dir = Path.of(args.get(args.size() - 1)).getParent();
            if (dir != null && dir.getFileName().toString().startsWith("s3proxy-")) {
                ChildProcesses.deleteRecursively(dir);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
        }
    }

    /**
     * {@code -Dlocal.services.dir=<docker/services/target>} if given, else found by walking up from the working
     * directory (a module directory under Maven, the repository root in an IDE).
     */
    static Path locateJar() {
        String configured = System.getProperty("local.services.dir");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured).toAbsolutePath().resolve("s3proxy/s3proxy.jar"));
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve("docker/services/target/s3proxy/s3proxy.jar"));
            }
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("S3Proxy was not found (looked at " + candidates.get(0) + " and above): run"
                        + " `mvn -pl docker/services generate-resources` in the repository root first"
                        + " (or set -Dlocal.services.dir to docker/services/target)."));
    }
}
