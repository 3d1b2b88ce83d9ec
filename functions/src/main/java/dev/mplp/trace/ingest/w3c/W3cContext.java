package dev.mplp.trace.ingest.w3c;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the W3C Trace Context and Baggage rules to a start: {@code traceState} and {@code baggage} are cut to
 * their valid members, which are also added to the span's attributes as {@code tracestate.KEY} and
 * {@code baggage.KEY} (the decoded value; an attribute of the same name the span already has wins). The message is
 * never rejected for them: what was dropped is returned for the caller to count.
 */
public final class W3cContext {

    /** One dropped member: which header ({@code tracestate} or {@code baggage}) and why. */
    public record Dropped(String header, String reason) {}

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private W3cContext() {}

    /** Changes a start event in place; other events are left alone. Returns the dropped members. */
    public static List<Dropped> apply(TraceEvent event) {
        return read(event, true);
    }

    /**
     * The members {@link #apply} would drop, the event left as it is: for a pipeline that leaves the span details
     * out ({@link TraceEvent#dropSpanDetails}), which still counts them.
     */
    public static List<Dropped> dropped(TraceEvent event) {
        return read(event, false);
    }

    private static List<Dropped> read(TraceEvent event, boolean apply) {
        if (event.messageType != MessageType.START || event.traceState == null && event.baggage == null) {
            return List.of();
        }
        W3cList traceState = TraceStateParser.parse(event.traceState);
        W3cList baggage = BaggageParser.parse(event.baggage);
        if (apply) {
            event.traceState = traceState.header();
            event.baggage = baggage.header();
            if (!traceState.members().isEmpty() || !baggage.members().isEmpty()) {
                event.attributes = withMembers(event.attributes, traceState, baggage);
            }
        }
        List<Dropped> dropped = new ArrayList<>();
        traceState.dropped().forEach(reason -> dropped.add(new Dropped("tracestate", reason)));
        baggage.dropped().forEach(reason -> dropped.add(new Dropped("baggage", reason)));
        return dropped;
    }

    /**
     * The attributes with the members added after them, each unless the span has an attribute of that name: the
     * members are appended to the JSON text, which is read only for its top-level names (it was parsed into a tree
     * and written again, the start's largest cost after its binding).
     */
    static String withMembers(String attributes, W3cList traceState, W3cList baggage) {
        Set<String> names = topLevelNames(attributes);
        StringBuilder json = new StringBuilder((attributes == null ? 2 : attributes.length()) + 64);
        if (attributes == null) {
            json.append('{');
        } else {
            json.append(attributes, 0, attributes.lastIndexOf('}'));
        }
        boolean first = names.isEmpty();
        for (Map.Entry<String, W3cList> header : List.of(Map.entry("tracestate.", traceState),
                Map.entry("baggage.", baggage))) {
            for (Map.Entry<String, String> member : header.getValue().members().entrySet()) {
                String name = header.getKey() + member.getKey();
                if (names.add(name)) {
                    json.append(first ? "" : ",").append('"').append(QUOTE.quoteAsString(name)).append("\":\"")
                            .append(QUOTE.quoteAsString(member.getValue())).append('"');
                    first = false;
                }
            }
        }
        return json.append('}').toString();
    }

    /** The names of a JSON object's fields, not those of the objects in it; none for null. */
    private static Set<String> topLevelNames(String attributes) {
        Set<String> names = new HashSet<>();
        if (attributes == null) {
            return names;
        }
        try (JsonParser parser = Json.mapper().createParser(attributes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("attributes are not a JSON object: " + attributes);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
            return names;
        } catch (IOException e) {
            // attributes are written by this project from parsed JSON, so this cannot happen with them
            throw new IllegalStateException("attributes are not a JSON object: " + e.getMessage(), e);
        }
    }
}
