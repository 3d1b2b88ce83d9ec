package dev.mplp.trace.ingest.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import org.junit.jupiter.api.Test;

class W3cContextTest {

    private static TraceEvent start(String traceState, String baggage, String attributes) {
        TraceEvent event = new TraceEvent();
        event.messageType = MessageType.START;
        event.traceState = traceState;
        event.baggage = baggage;
        event.attributes = attributes;
        return event;
    }

    @Test
    void validMembersBecomeAttributesAndInvalidOnesAreReported() throws Exception {
        TraceEvent event = start("rojo=00f067aa0ba902b7,Bad=1", "workflow_id=wf-001,priority", "{\"http.method\":\"POST\"}");

        var dropped = W3cContext.apply(event);

        assertThat(dropped).containsExactly(
                new W3cContext.Dropped("tracestate", "invalid_key"), new W3cContext.Dropped("baggage", "missing_equals"));
        assertThat(event.traceState).isEqualTo("rojo=00f067aa0ba902b7");
        assertThat(event.baggage).isEqualTo("workflow_id=wf-001");
        var attributes = Json.mapper().readTree(event.attributes);
        assertThat(attributes.get("http.method").textValue()).isEqualTo("POST");
        assertThat(attributes.get("tracestate.rojo").textValue()).isEqualTo("00f067aa0ba902b7");
        assertThat(attributes.get("baggage.workflow_id").textValue()).isEqualTo("wf-001");
    }

    @Test
    void aSpanAttributeOfTheSameNameWins() throws Exception {
        TraceEvent event = start(null, "user=bob", "{\"baggage.user\":\"alice\"}");

        W3cContext.apply(event);

        assertThat(Json.mapper().readTree(event.attributes).get("baggage.user").textValue()).isEqualTo("alice");
    }

    @Test
    void onlyStartsAreTouched() {
        TraceEvent update = start("Bad", "x", null);
        update.messageType = MessageType.UPDATE;

        assertThat(W3cContext.apply(update)).isEmpty();
        assertThat(update.traceState).isEqualTo("Bad");
    }
}
