package dev.mplp.trace.ingest.w3c;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed W3C list header ({@code tracestate} or {@code baggage}): its valid members in order, the header
 * rebuilt from them, and why each invalid member was dropped.
 *
 * @param members key to value (for baggage the percent-decoded value), in header order
 * @param header the valid members joined again as a header value; null when none is valid
 * @param dropped one reason per dropped member, e.g. {@code invalid_key}
 */
public record W3cList(Map<String, String> members, String header, List<String> dropped) {

    public W3cList {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        dropped = List.copyOf(dropped);
    }

    static final W3cList EMPTY = new W3cList(Map.of(), null, List.of());
}
