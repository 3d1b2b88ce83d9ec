package dev.mplp.trace.ingest.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void droppedReportsWhatApplyDropsAndLeavesTheEventAsItIs() {
        TraceEvent applied = start("rojo=00f067aa0ba902b7,Bad=1", "workflow_id=wf-001,priority", "{\"a\":1}");
        TraceEvent counted = start("rojo=00f067aa0ba902b7,Bad=1", "workflow_id=wf-001,priority", "{\"a\":1}");

        assertThat(W3cContext.dropped(counted)).isEqualTo(W3cContext.apply(applied)).hasSize(2);
        assertThat(counted).usingRecursiveComparison()
                .isEqualTo(start("rojo=00f067aa0ba902b7,Bad=1", "workflow_id=wf-001,priority", "{\"a\":1}"));
    }

    @Test
    void aSpanAttributeOfTheSameNameWins() throws Exception {
        TraceEvent event = start(null, "user=bob", "{\"baggage.user\":\"alice\"}");

        W3cContext.apply(event);

        assertThat(Json.mapper().readTree(event.attributes).get("baggage.user").textValue()).isEqualTo("alice");
    }

    @Test
    void membersAreAppendedAsRewritingTheAttributesTreeWouldWriteThem() throws Exception {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("rojo", "00f067aa0ba902b7");
        members.put("quote", "say \"hi\" \\ back");
        members.put("lines", "a\nb\tc\u0001");
        members.put("caf\u00e9", "\u00fcber \uD83D\uDE80");
        W3cList traceState = new W3cList(Map.of("congo", "t61rcWkgMzE"), "congo=t61rcWkgMzE", List.of());
        W3cList baggage = new W3cList(members, "…", List.of());
        for (String attributes : Arrays.asList(null, "{}", "{\"http.method\":\"POST\"}",
                "{\"nested\":{\"baggage.rojo\":1,\"a\":[1,{\"b\":null}]},\"n\":1.5E-7,\"big\":123456789012345678901}",
                "{\"baggage.quote\":\"the span's own\",\"x\":\"caf\u00e9 \\\"q\\\"\"}")) {
            assertThat(W3cContext.withMembers(attributes, traceState, baggage)).as(attributes)
                    .isEqualTo(rewritten(attributes, traceState, baggage));
        }
    }

    /** How the members were added before: the attributes parsed into a tree, the members put, the tree written. */
    private static String rewritten(String attributes, W3cList traceState, W3cList baggage) throws Exception {
        ObjectNode merged = attributes == null
                ? Json.mapper().createObjectNode()
                : (ObjectNode) Json.mapper().readTree(attributes);
        traceState.members().forEach((key, value) -> {
            if (!merged.has("tracestate." + key)) {
                merged.put("tracestate." + key, value);
            }
        });
        baggage.members().forEach((key, value) -> {
            if (!merged.has("baggage." + key)) {
                merged.put("baggage." + key, value);
            }
        });
        return Json.mapper().writeValueAsString(merged);
    }

    @Test
    void onlyStartsAreTouched() {
        TraceEvent update = start("Bad", "x", null);
        update.messageType = MessageType.UPDATE;

        assertThat(W3cContext.apply(update)).isEmpty();
        assertThat(update.traceState).isEqualTo("Bad");
    }
}
