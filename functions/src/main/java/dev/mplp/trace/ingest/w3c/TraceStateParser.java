package dev.mplp.trace.ingest.w3c;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a W3C Trace Context {@code tracestate} value (https://www.w3.org/TR/trace-context/#tracestate-header):
 * comma-separated {@code key=value} list members, optional whitespace around them, empty members ignored. An
 * invalid member is dropped with its reason and the others kept, so a bad vendor entry never costs the rest:
 *
 * <ul>
 *   <li>{@code missing_equals}: no {@code =};
 *   <li>{@code invalid_key}: not a simple key ({@code lcalpha} then up to 255 of {@code a-z 0-9 _ - * /}) nor a
 *       multi-tenant key ({@code tenant@system}: up to 241 and 14 characters);
 *   <li>{@code invalid_value}: empty, longer than 256, a character outside {@code 0x20-0x7E}, a {@code ,} or
 *       {@code =}, or ending in a space;
 *   <li>{@code duplicate_key}: a key already seen (the first, leftmost, is the most recent and is kept);
 *   <li>{@code too_many_members}: members after the 32nd valid one.
 * </ul>
 */
public final class TraceStateParser {

    static final int MAX_MEMBERS = 32;

    private static final Pattern KEY = Pattern.compile(
            "[a-z][a-z0-9_\\-*/]{0,255}|[a-z0-9][a-z0-9_\\-*/]{0,240}@[a-z][a-z0-9_\\-*/]{0,13}");
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

    private TraceStateParser() {}

    /** Never throws; null or blank is an empty list. */
    public static W3cList parse(String header) {
        if (header == null || header.isBlank()) {
            return W3cList.EMPTY;
        }
        Map<String, String> members = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String member = part.strip();
            if (member.isEmpty()) {
                continue;
            }
            int equals = member.indexOf('=');
            if (equals < 0) {
                dropped.add("missing_equals");
                continue;
            }
            String key = member.substring(0, equals);
            String value = member.substring(equals + 1);
            if (!KEY.matcher(key).matches()) {
                dropped.add("invalid_key");
            } else if (!VALUE.matcher(value).matches()) {
                dropped.add("invalid_value");
            } else if (members.containsKey(key)) {
                dropped.add("duplicate_key");
            } else if (members.size() == MAX_MEMBERS) {
                dropped.add("too_many_members");
            } else {
                members.put(key, value);
            }
        }
        StringBuilder rebuilt = new StringBuilder();
        members.forEach((key, value) -> rebuilt.append(rebuilt.isEmpty() ? "" : ",").append(key).append('=').append(value));
        return new W3cList(members, rebuilt.isEmpty() ? null : rebuilt.toString(), dropped);
    }
}
