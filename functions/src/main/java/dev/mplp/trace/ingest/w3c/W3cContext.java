package dev.mplp.trace.ingest.w3c;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the W3C Trace Context and Baggage rules to a start: {@code traceState} and {@code baggage} are cut to
 * their valid members, which are also added to the span's attributes as {@code tracestate.KEY} and
 * {@code baggage.KEY} (the decoded value; an attribute of the same name the span already has wins). The message is
 * never rejected for them: what was dropped is returned for the caller to count.
 */
public final class W3cContext {

    /** One dropped member: which header ({@code tracestate} or {@code baggage}) and why. */
    public record Dropped(String header, String reason) {}

    private W3cContext() {}

    /** Changes a start event in place; other events are left alone. Returns the dropped members. */
    public static List<Dropped> apply(TraceEvent event) {
        if (event.messageType != MessageType.START || event.traceState == null && event.baggage == null) {
            return List.of();
        }
        W3cList traceState = TraceStateParser.parse(event.traceState);
        W3cList baggage = BaggageParser.parse(event.baggage);
        event.traceState = traceState.header();
        event.baggage = baggage.header();
        if (!traceState.members().isEmpty() || !baggage.members().isEmpty()) {
            event.attributes = withMembers(event.attributes, traceState, baggage);
        }
        List<Dropped> dropped = new ArrayList<>();
        traceState.dropped().forEach(reason -> dropped.add(new Dropped("tracestate", reason)));
        baggage.dropped().forEach(reason -> dropped.add(new Dropped("baggage", reason)));
        return dropped;
    }

    private static String withMembers(String attributes, W3cList traceState, W3cList baggage) {
        try {
            ObjectNode merged = attributes == null
                    ? Json.mapper().createObjectNode()
                    : (ObjectNode) Json.mapper().readTree(attributes);
            traceState.members().forEach((key, value) -> putAbsent(merged, "tracestate." + key, value));
            baggage.members().forEach((key, value) -> putAbsent(merged, "baggage." + key, value));
            return Json.mapper().writeValueAsString(merged);
        } catch (JsonProcessingException e) {
            // attributes are written by this project from parsed JSON, so this cannot happen with them
            throw new IllegalStateException("attributes are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static void putAbsent(ObjectNode attributes, String name, String value) {
        if (!attributes.has(name)) {
            attributes.put(name, value);
        }
    }
}
