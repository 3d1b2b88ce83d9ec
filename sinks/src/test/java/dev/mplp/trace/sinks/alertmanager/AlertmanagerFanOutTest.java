package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.records.Severity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.junit.jupiter.api.Test;

/** Each batch to every Alertmanager: one that fails does not keep it from the others, or fail the job alone. */
class AlertmanagerFanOutTest {

    private final ThreadSafeSimpleCounter failures = new ThreadSafeSimpleCounter();

    @Test
    void aBatchOneAlertmanagerTookIsDeliveredWhileTheFailingOneIsRetriedAndCounted() throws Exception {
        try (CapturingServer up = CapturingServer.answering(200);
                CapturingServer down = CapturingServer.answering(503)) {
            AlertmanagerFanOut fanOut = new AlertmanagerFanOut(List.of(client(down), client(up)), failures);

            fanOut.post(batch("id-1"));
            fanOut.post(batch("id-2"));

            assertThat(up.requests).extracting(CapturingServer.Request::body)
                    .satisfiesExactly(
                            body -> assertThat(body).contains("\"alert_id\":\"id-1\""),
                            body -> assertThat(body).contains("\"alert_id\":\"id-2\""));
            // the failing one got each batch, in order, once plus its retry: the posts were not skipped
            fanOut.drain(Duration.ofMinutes(1));
            assertThat(failures.getCount()).isEqualTo(2);
            assertThat(down.requests).extracting(request -> request.body().contains("id-1") ? "id-1" : "id-2")
                    .containsExactly("id-1", "id-1", "id-2", "id-2");
        }
    }

    @Test
    void aBatchNoAlertmanagerTookFailsNamingEach() throws Exception {
        try (CapturingServer refusing = CapturingServer.answering(400);
                CapturingServer down = CapturingServer.answering(503)) {
            AlertmanagerFanOut fanOut = new AlertmanagerFanOut(List.of(client(refusing), client(down)), failures);

            assertThatThrownBy(() -> fanOut.post(batch("id-1")))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(AlertmanagerClient.Refused.class)
                    .hasMessageStartingWith("no Alertmanager took the batch")
                    .hasMessageContaining(refusing.location() + "/api/v2/alerts refused")
                    .hasMessageContaining(down.location() + "/api/v2/alerts after 2 attempts");
            assertThat(failures.getCount()).isEqualTo(2);
        }
    }

    private static AlertmanagerClient client(CapturingServer server) {
        return new AlertmanagerClient(server.location(), 1, Duration.ofMillis(10), Duration.ofSeconds(5),
                AlertmanagerClient.Delays.REAL);
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode batch(String alertId) {
        var batch = PostableAlerts.array();
        batch.add(new PostableAlerts(ConfigLoader.defaults().alertmanager()).of(
                TestAlerts.triggered(alertId, Severity.WARNING, Instant.parse("2025-09-03T10:00:00Z")),
                Instant.parse("2025-09-03T10:01:00Z")));
        return batch;
    }
}
