package dev.mplp.trace.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP port for a service that is told its port before it starts (the embedded web UI, the services tests start).
 *
 * <p>The port is taken below the kernel's ephemeral range. A port the kernel gave to a {@code ServerSocket(0)} and
 * took back can go to the next socket bound to port 0 before the service binds it: a JobManager's blob server
 * (which binds port 0) once took the REST port a test had just chosen that way, and the JobManager did not start.
 * No socket bound to port 0 is given a port below that range.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, where the file above cannot be read. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    /** Above the ports of well-known services (Kafka 9092, the web UI 8081, Prometheus 9090...). */
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;

    private FreePorts() {}

    /**
     * A port nothing listens on, below the ephemeral range where it has one (else any port the kernel gives), with
     * the ports {@code alsoFree} after it free and below that range too: for a service that takes those as well (the
     * local Kafka script's controller on the next port, the Flink script's RPC 42 ports on).
     */
    public static int next(int... alsoFree) {
        int high = ephemeralLow();
        int reach = 0;
        for (int offset : alsoFree) {
            if (offset <= 0) {
                throw new IllegalArgumentException("a port after the one chosen, not " + offset);
            }
            reach = Math.max(reach, offset);
        }
        try {
            if (high - reach - LOWEST < 1_000) {
                return kernelChosen();
            }
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, high - reach);
                if (isFree(port) && allFree(port, alsoFree)) {
                    return port;
                }
            }
            throw new IllegalStateException(
                    "no free port in " + ATTEMPTS + " tries between " + LOWEST + " and " + (high - reach - 1));
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for a free port", e);
        }
    }

    private static boolean allFree(int port, int[] offsets) {
        for (int offset : offsets) {
            if (!isFree(port + offset)) {
                return false;
            }
        }
        return true;
    }

    /** The first port of the kernel's ephemeral range (the default where it cannot be read). */
    static int ephemeralLow() {
        try {
            // readAllLines, not readString: a /proc file reports a size of 0, and readString, sized by it, returned
            // its first byte only ("3")
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    /** Bound on every address, so a service listening on any one of them makes the port taken. */
    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChosen() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
