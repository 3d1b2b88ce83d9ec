package dev.mplp.trace.jobs.sources;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** An unreachable Kafka bootstrap is one clear line naming the option, before anything is submitted. */
class KafkaPreflightTest {

    @Test
    void anUnreachableBrokerIsNamedWithTheOption() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Endpoint source = Endpoint.parse("kafka://127.0.0.1:" + closedPort + "/traffic");

        assertThatThrownBy(() -> KafkaPreflight.check("--source", source, ConfigLoader.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--source kafka://127.0.0.1:" + closedPort + "/traffic: cannot connect to 127.0.0.1:"
                        + closedPort)
                .hasMessageNotContaining("\n");
    }
}
