package dev.mplp.trace.ingest.w3c;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a W3C {@code baggage} value (https://www.w3.org/TR/baggage/#header-content): comma-separated
 * {@code key=value} list members, each optionally followed by {@code ;property} or {@code ;key=value} properties,
 * whitespace allowed around every separator. Values are percent-decoded as UTF-8 (an undecodable byte sequence
 * becomes U+FFFD, as the specification says). Properties are kept in the rebuilt header but are not part of a
 * member's value. An invalid member is dropped with its reason, the others kept:
 *
 * <ul>
 *   <li>{@code missing_equals}: the member has no {@code =};
 *   <li>{@code invalid_key}: the key is not an RFC 7230 token;
 *   <li>{@code invalid_value}: a character outside {@code baggage-octet} (space, {@code "}, {@code ,}, {@code ;},
 *       {@code \}, non-ASCII) or a {@code %} not followed by two hex digits;
 *   <li>{@code invalid_property}: a property that is neither a token nor {@code token=value};
 *   <li>{@code duplicate_key}: a key already seen (the first is kept);
 *   <li>{@code too_many_members}: members after the 64th valid one;
 *   <li>{@code too_long}: a member that would make the rebuilt header longer than 8192 bytes.
 * </ul>
 */
public final class BaggageParser {

    static final int MAX_MEMBERS = 64;
    static final int MAX_BYTES = 8192;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern VALUE = Pattern.compile("[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*");

    private BaggageParser() {}

    /** Never throws; null or blank is an empty list. */
    public static W3cList parse(String header) {
        if (header == null || header.isBlank()) {
            return W3cList.EMPTY;
        }
        Map<String, String> members = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        StringBuilder rebuilt = new StringBuilder();
        for (String part : header.split(",", -1)) {
            if (part.isBlank()) {
                continue;
            }
            String[] pieces = part.split(";", -1);
            String first = pieces[0];
            int equals = first.indexOf('=');
            if (equals < 0) {
                dropped.add("missing_equals");
                continue;
            }
            String key = first.substring(0, equals).strip();
            String rawValue = first.substring(equals + 1).strip();
            String value = TOKEN.matcher(key).matches() ? decode(rawValue) : null;
            String reason = !TOKEN.matcher(key).matches() ? "invalid_key"
                    : value == null ? "invalid_value"
                    : !validProperties(pieces) ? "invalid_property"
                    : members.containsKey(key) ? "duplicate_key"
                    : members.size() == MAX_MEMBERS ? "too_many_members"
                    : null;
            String member = reason == null ? normalized(key, rawValue, pieces) : null;
            if (reason == null && rebuilt.length() + (rebuilt.isEmpty() ? 0 : 1) + member.length() > MAX_BYTES) {
                reason = "too_long";
            }
            if (reason != null) {
                dropped.add(reason);
                continue;
            }
            members.put(key, value);
            rebuilt.append(rebuilt.isEmpty() ? "" : ",").append(member);
        }
        return new W3cList(members, rebuilt.isEmpty() ? null : rebuilt.toString(), dropped);
    }

    private static boolean validProperties(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String property = pieces[i];
            int equals = property.indexOf('=');
            String key = (equals < 0 ? property : property.substring(0, equals)).strip();
            if (!TOKEN.matcher(key).matches()
                    || equals >= 0 && decode(property.substring(equals + 1).strip()) == null) {
                return false;
            }
        }
        return true;
    }

    /** The member as it goes on: whitespace around separators removed, value still percent-encoded. */
    private static String normalized(String key, String rawValue, String[] pieces) {
        StringBuilder member = new StringBuilder(key).append('=').append(rawValue);
        for (int i = 1; i < pieces.length; i++) {
            String property = pieces[i];
            int equals = property.indexOf('=');
            member.append(';').append(equals < 0
                    ? property.strip()
                    : property.substring(0, equals).strip() + "=" + property.substring(equals + 1).strip());
        }
        return member.toString();
    }

    /** The percent-decoded value, or null when it has a character baggage does not allow. */
    static String decode(String value) {
        if (!VALUE.matcher(value).matches()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= value.length()
                    || Character.digit(value.charAt(i + 1), 16) < 0
                    || Character.digit(value.charAt(i + 2), 16) < 0) {
                return null;
            }
            bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
            i += 2;
        }
        // new String replaces malformed UTF-8 with U+FFFD
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
