package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.records.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure policy where nothing listens: retried with doubling waits, then an error that fails the job. */
class AlertmanagerClientTest {

    @Test
    void retriesAnUnreachableAlertmanagerWithDoublingBackoffThenFailsNamingIt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        List<Duration> waits = new ArrayList<>();
        AlertmanagerClient client = new AlertmanagerClient(
                AlertmanagerLocation.parse("http://127.0.0.1:" + closedPort),
                3,
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                backoff -> {
                    waits.add(backoff);
                    return Runnable::run;
                });
        var batch = PostableAlerts.array();
        batch.add(new PostableAlerts(ConfigLoader.defaults().alertmanager()).of(
                TestAlerts.triggered("id-1", Severity.WARNING, Instant.parse("2025-09-03T10:00:00Z")),
                Instant.parse("2025-09-03T10:01:00Z")));

        assertThatThrownBy(() -> client.post(batch))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("after 4 attempts");
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }
}
