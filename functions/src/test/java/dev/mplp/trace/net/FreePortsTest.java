package dev.mplp.trace.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    // 300 ports taken of about 22,000 below the ephemeral range: each draw lands next to one with a chance of about
    // 1.3 %, so 500 draws find a port that should not be given with a chance of over 99.8 % (the file limit of a
    // test JVM leaves room for 300 sockets)
    private static final int LISTENING = 300;
    private static final int DRAWS = 500;

    private final List<ServerSocket> listening = new ArrayList<>();

    @Test
    void aPortIsBelowTheEphemeralRangeAndCanBeListenedOn() throws Exception {
        int ephemeralLow = FreePorts.ephemeralLow();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.next();

            assertThat(port).as("a port no socket bound to port 0 can be given").isBetween(10_000, ephemeralLow - 1);
            try (ServerSocket socket = new ServerSocket(port)) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void thePortsAskedForAfterItAreFreeAndBelowTheRangeToo() throws Exception {
        int ephemeralLow = FreePorts.ephemeralLow();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.next(1, 42);

            assertThat(port + 42).isLessThan(ephemeralLow);
            try (ServerSocket first = new ServerSocket(port);
                    ServerSocket next = new ServerSocket(port + 1);
                    ServerSocket far = new ServerSocket(port + 42)) {
                assertThat(List.of(first.getLocalPort(), next.getLocalPort(), far.getLocalPort()))
                        .containsExactly(port, port + 1, port + 42);
            }
        }
    }

    @Test
    void aPortWhoseNextIsTakenIsNotGiven() throws Exception {
        Set<Integer> taken = takePorts();

        for (int i = 0; i < DRAWS; i++) {
            assertThat(FreePorts.next(1) + 1).isNotIn(taken);
        }
    }

    @Test
    void aPortBeforeTheOneChosenIsAMistake() {
        assertThatThrownBy(() -> FreePorts.next(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPortSomethingListensOnIsNotGiven() throws Exception {
        Set<Integer> taken = takePorts();

        for (int i = 0; i < DRAWS; i++) {
            assertThat(FreePorts.next()).isNotIn(taken);
        }
    }

    /** Listens on {@link #LISTENING} ports (closed after the test); those ports. */
    private Set<Integer> takePorts() throws IOException {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < LISTENING; i++) {
            ServerSocket socket = new ServerSocket(FreePorts.next());
            listening.add(socket);
            taken.add(socket.getLocalPort());
        }
        return taken;
    }

    @AfterEach
    void closeThePortsTaken() throws IOException {
        for (ServerSocket socket : listening) {
            socket.close();
        }
    }
}
