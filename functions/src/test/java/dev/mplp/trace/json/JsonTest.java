package dev.mplp.trace.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Probe(String traceId, Long totalOperations, Double latencyP95Ms) {}

    @Test
    void oneSharedMapper() {
        assertThat(Json.mapper()).isSameAs(Json.mapper());
        assertThat(Json.newMapper()).isNotSameAs(Json.mapper());
    }

    @Test
    void snakeCaseBothWays() throws Exception {
        Probe probe = Json.mapper().readValue(
                "{\"trace_id\":\"t\",\"total_operations\":3,\"latency_p95_ms\":1.5,\"extra\":[1]}", Probe.class);

        assertThat(probe).isEqualTo(new Probe("t", 3L, 1.5));
        assertThat(Json.mapper().writeValueAsString(probe))
                .isEqualTo("{\"trace_id\":\"t\",\"total_operations\":3,\"latency_p95_ms\":1.5}");
    }

    @Test
    void deadLettersWriteWithWireNames() throws Exception {
        DeadLetter letter = new DeadLetter(
                DeadLetterReason.INVALID_SPAN_ID, "payload.trace_start.span_id", "m-1", "file:x:1", 5L, "{}", 2L, false);

        Map<String, Object> written = Json.mapper().readValue(Json.mapper().writeValueAsString(letter),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});

        assertThat(written).containsEntry("reason", "invalid_span_id")
                .containsEntry("message_id", "m-1")
                .containsEntry("raw_payload_bytes", 2)
                .containsEntry("payload_truncated", false);
    }

    @Test
    void strictJson() {
        assertThatThrownBy(() -> Json.mapper().readTree("{\"a\":1} {}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.mapper().readTree("{\"a\":1,\"a\":2}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"trace_id\":5}", Probe.class))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"total_operations\":1.5}", Probe.class))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"latency_p95_ms\":\"1\"}", Probe.class))
                .isInstanceOf(JacksonException.class);
    }
}
