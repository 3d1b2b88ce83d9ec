package dev.mplp.trace.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.records.MessageType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtocolMessagesTest {

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void shapeOfEachType(MessageType type) {
        ProtocolMessages.Message message = ProtocolMessages.of(type);
        ObjectNode node = message.node();

        assertThat(node.get("message_type").asText()).isEqualTo(type.wireName());
        assertThat(node.get("payload").fieldNames()).toIterable().containsExactly(type.payloadField());
        assertThat(node.at("/payload/" + type.payloadField() + "/trace_id").asText())
                .isEqualTo(ProtocolMessages.TRACE_ID);
        assertThat(message.bodyPath()).isEqualTo("payload." + type.payloadField());
    }

    @Test
    void messageIdsDiffer() {
        assertThat(ProtocolMessages.start().node().get("message_id"))
                .isNotEqualTo(ProtocolMessages.start().node().get("message_id"));
    }

    @Test
    void pathsSetAndRemove() {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        ProtocolMessages.Message message = ProtocolMessages.update()
                .at(at)
                .setInBody("span_logs[0].log_level", "error")
                .setInBody("span_logs[2]", ProtocolMessages.log(at, "fatal", "x"))
                .set("x.y.z", List.of(1, 2))
                .remove("sender.sender_type")
                .removeFromBody("span_events[0]");
        ObjectNode node = message.node();

        assertThat(node.get("timestamp").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(node.at("/payload/trace_update/update_timestamp").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(node.at("/payload/trace_update/span_logs/0/log_level").asText()).isEqualTo("error");
        assertThat(node.at("/payload/trace_update/span_logs/2/log_level").asText()).isEqualTo("fatal");
        assertThat(node.at("/x/y/z").toString()).isEqualTo("[1,2]");
        assertThat(node.at("/sender").has("sender_type")).isFalse();
        assertThat(node.at("/payload/trace_update/span_events").size()).isZero();
        assertThatThrownBy(() -> message.remove("no.such.field")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeIsACopy() {
        ProtocolMessages.Message message = ProtocolMessages.metrics();
        message.node().remove("message_id");

        assertThat(message.node().has("message_id")).isTrue();
    }

    @Test
    void samplesAreOnTheClasspath() {
        for (MessageType type : MessageType.values()) {
            assertThat(ProtocolSamples.text(ProtocolSamples.fileOf(type))).contains(type.wireName());
        }
    }
}
