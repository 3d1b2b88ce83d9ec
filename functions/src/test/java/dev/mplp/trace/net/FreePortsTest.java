package dev.mplp.trace.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

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
    void aPortSomethingListensOnIsNotGiven() throws Exception {
        Set<ServerSocket> listening = new HashSet<>();
        Set<Integer> taken = new HashSet<>();
        try {
            for (int i = 0; i < 50; i++) {
                ServerSocket socket = new ServerSocket(FreePorts.next());
                listening.add(socket);
                taken.add(socket.getLocalPort());
            }
            for (int i = 0; i < 200; i++) {
                assertThat(FreePorts.next()).isNotIn(taken);
            }
        } finally {
            for (ServerSocket socket : listening) {
                socket.close();
            }
        }
    }
}
