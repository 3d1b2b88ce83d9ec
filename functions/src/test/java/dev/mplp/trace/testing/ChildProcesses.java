package dev.mplp.trace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the local services that tests start as child processes ({@link KafkaBroker}, {@link S3ProxyServer},
 * {@link FlinkCluster}, {@link LocalHttpService}) share.
 */
public final class ChildProcesses {

    private ChildProcesses() {}

    /** The test JVM's own java, so the service runs on the JDK the build chose. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code builder}'s command in {@code workDir}, its output and errors appended to {@code log}, where a
     * failure to start (and the service's own complaints) can be read after the test.
     */
    static Process start(ProcessBuilder builder, Path workDir, Path log) {
        try {
            return builder.directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + builder.command(), e);
        }
    }

    /** The command line argument that marks a child as started by this test JVM. */
    static String ownerArgument(String ownerProperty) {
        return "-D" + ownerProperty + "=" + ProcessHandle.current().pid();
    }

    /**
     * A shutdown hook does not run when the test JVM is SIGKILLed (a surefire timeout, a killed build); the services
     * it started then live on. They carry the test JVM's pid on their command line ({@link #ownerArgument}), so the
     * next start kills those whose owner is gone and hands their arguments to {@code cleanUp}.
     */
    static void reapOrphans(String ownerProperty, Consumer<List<String>> cleanUp) {
        String marker = "-D" + ownerProperty + "=";
        ProcessHandle.allProcesses().forEach(candidate -> {
            List<String> args = candidate.info().arguments().map(List::of).orElse(List.of());
            args.stream().filter(arg -> arg.startsWith(marker)).findFirst().ifPresent(arg -> {
                long owner = Long.parseLong(arg.substring(marker.length()));
                if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    return;
                }
                if (!candidate.destroyForcibly()) {
                    return; // not ours to kill after all (another user's)
                }
                candidate.onExit().completeOnTimeout(candidate, 10, TimeUnit.SECONDS).join();
                cleanUp.accept(args);
            });
        });
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    static boolean waitForExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code timeout}. */
    static void stop(Process p, Duration timeout) {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!waitForExit(p, timeout)) {
            p.destroyForcibly();
            waitForExit(p, timeout);
        }
    }

    /** For the test JVM's exit without a stop(): SIGKILL at once, no time for a clean shutdown. */
    static void destroyNow(Process p) {
        if (p != null) {
            p.destroyForcibly();
            waitForExit(p, Duration.ofSeconds(5));
        }
    }

    /** Removes a shutdown hook registered at start; harmless while the JVM is already shutting down. */
    static void removeShutdownHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
    }

    /** The last 40 lines of each file that exists, headed by its path, for failure messages. */
    static String tail(List<Path> files) {
        StringBuilder tail = new StringBuilder();
        for (Path path : files) {
            try {
                List<String> lines = Files.exists(path) ? Files.readAllLines(path) : List.of();
                tail.append("--- last lines of ").append(path).append(" ---\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(line -> tail.append(line).append('\n'));
            } catch (IOException | RuntimeException e) {
                tail.append("(could not read ").append(path).append(": ").append(e).append(")\n");
            }
        }
        return tail.toString();
    }
}
