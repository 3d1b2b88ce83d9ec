package dev.mplp.trace.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mplp.trace.config.SecurityConfig.PiiDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces personal data by keyed pseudonyms: {@code pii:} and the first 16 hex digits of the HMAC-SHA256 of the
 * value. The same value gives the same pseudonym under one key, wherever it is found, so joins and per-user counts
 * still work; without the key a pseudonym cannot be traced back (a dictionary of likely e-mail addresses is no
 * help). A value that already is a pseudonym is left as it is, so masking twice changes nothing.
 *
 * <p>In a JSON tree, the value of every field named by an attribute key is replaced (a field matches by its name,
 * or by the end of its dotted path: {@code context.user_id} is {@code user_id} inside {@code context}), and in
 * every other string and every field name the parts the detectors find. Text that is not JSON (dead letters of
 * unparsable records) gets the detectors, and {@code "NAME": "value"} pairs whose name is the last segment of an
 * attribute key.
 *
 * <p>Every method takes time linear in its input and a stack bounded by the tree's depth (which the parser
 * limits): the detectors of unbounded length (e-mail addresses, the pairs) are hand-written scanners that never
 * look at a character more than a few times; the regular expression is left with the detectors of bounded length.
 */
public final class PiiMasker {

    public static final String PSEUDONYM_PREFIX = "pii:";
    private static final Pattern PSEUDONYM = Pattern.compile("pii:[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String IPV4 = "(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?!\\.?\\w)";
    /** Candidates only; {@link #isIpv6} decides. Not inside a longer run of words, colons or dotted numbers. */
    private static final String IPV6 =
            "(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + OCTET + "(?:\\." + OCTET + "){3}|[0-9A-Fa-f]{1,4})?"
            + "(?!\\.?[\\w:])";
    /**
     * {@code +CC} and 7 to 14 more digits in groups, or a national number with separators: (555) 123-4567,
     * (555)123-4567, 555-123-4567.
     */
    private static final String PHONE = "(?<![\\w+])(?:\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,5}\\)?){2,6}"
            + "|\\(\\d{3}\\)[ .-]?\\d{3}[ .-]\\d{4}|\\d{3}[ .-]\\d{3}[ .-]\\d{4})(?![\\w])";

    private final byte[] key;
    private final Set<String> attributeKeys;
    private final boolean emails;
    private final boolean ipv6;
    /** The bounded-length detectors (IPv4, IPv6, phone), or null; e-mail addresses have their own scanner. */
    private final Pattern detector;
    /** The names whose {@code "NAME": "value"} pairs are masked in text: attribute keys and their last segments. */
    private final Set<String> keyValueNames;
    private final int longestName;

    /**
     * @param key the pseudonym key (at least 16 bytes)
     * @param attributeKeys field names or dotted path suffixes whose values are always replaced
     * @param detectors the kinds of values replaced wherever they occur
     */
    public PiiMasker(byte[] key, Collection<String> attributeKeys, Collection<PiiDetector> detectors) {
        if (key == null || key.length < 16) {
            throw new SecretException("the PII pseudonym key must be at least 16 bytes");
        }
        this.key = key.clone();
        this.attributeKeys = Set.copyOf(attributeKeys);
        this.emails = detectors.contains(PiiDetector.EMAIL);
        this.ipv6 = detectors.contains(PiiDetector.IPV6);
        List<String> alternatives = new ArrayList<>();
        for (PiiDetector d : Set.copyOf(detectors)) {
            switch (d) {
                case EMAIL -> { }
                case IPV4 -> alternatives.add("(?<IPV4>" + IPV4 + ")");
                case IPV6 -> alternatives.add("(?<IPV6>" + IPV6 + ")");
                case PHONE -> alternatives.add("(?<PHONE>" + PHONE + ")");
            }
        }
        this.detector = alternatives.isEmpty() ? null : Pattern.compile(String.join("|", alternatives));
        Set<String> names = this.attributeKeys.stream()
                .map(k -> k.substring(k.lastIndexOf('.') + 1))
                .collect(Collectors.toSet());
        names.addAll(this.attributeKeys);
        this.keyValueNames = Set.copyOf(names);
        this.longestName = names.stream().mapToInt(String::length).max().orElse(0);
    }

    /** The pseudonym of a value. */
    public String pseudonym(String value) {
        byte[] mac = MessageIntegrity.hmac(key, value.getBytes(StandardCharsets.UTF_8));
        return PSEUDONYM_PREFIX + HEX.formatHex(mac, 0, 8);
    }

    /**
     * Masks a JSON tree in place; returns it. Field names go through the detectors too (an e-mail address used as
     * an attribute name is personal data as much as one used as a value). Recursion is bounded by the parser's
     * nesting limit.
     */
    public JsonNode mask(JsonNode root) {
        maskChildren(root, "");
        return root;
    }

    private void maskChildren(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            boolean renamed = false;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode value = field.getValue();
                if (isAttributeKey(field.getKey(), fieldPath) && !value.isNull()) {
                    field.setValue(TextNode.valueOf(pseudonymOf(value)));
                } else if (value.isTextual()) {
                    field.setValue(TextNode.valueOf(maskText(value.textValue())));
                } else {
                    maskChildren(value, fieldPath);
                }
                renamed |= !maskText(field.getKey()).equals(field.getKey());
            }
            if (renamed) {
                renameFields(object);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual()) {
                    array.set(i, TextNode.valueOf(maskText(element.textValue())));
                } else {
                    maskChildren(element, path);
                }
            }
        }
    }

    /** Replaces the object's field names by their masked text, keeping the order of the fields. */
    private void renameFields(ObjectNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> fields.put(maskText(field.getKey()), field.getValue()));
        object.removeAll();
        object.setAll(fields);
    }

    private String pseudonymOf(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        return pseudonymOrSelf(text);
    }

    private boolean isAttributeKey(String name, String path) {
        if (attributeKeys.contains(name) || attributeKeys.contains(path)) {
            return true;
        }
        for (String attributeKey : attributeKeys) {
            if (path.endsWith("." + attributeKey)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The detectors over free text, plus {@code "NAME": "value"} pairs of attribute keys; null stays null. Linear in
     * the text's length: hand-written scanners for the pairs and the e-mail addresses, whose parts have no length
     * limit, and a regular expression only for the detectors of bounded length.
     */
    public String maskText(String text) {
        if (text == null || !mightHoldPii(text)) {
            return text;
        }
        String masked = keyValueNames.isEmpty() ? text : maskKeyValuePairs(text);
        if (emails) {
            masked = maskEmails(masked);
        }
        return detector == null ? masked : detectors(masked);
    }

    /** Whether anything could match: a pair needs a quote, an address an {@code @}, the others a digit or colon. */
    private static boolean mightHoldPii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '@' || c == ':' || (c >= '0' && c <= '9')) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code "NAME" : "value"} with a name of {@link #keyValueNames}: the value (as written, escapes included) is
     * replaced; also the escaped form {@code \"NAME\": \"value\"} of such a pair inside a JSON string (the text
     * of a record that is not JSON). A value without its closing quote (text cut short) is replaced up to the end.
     * One pass: every quote is looked at once as the start of a name, and a value's scan continues after it.
     */
    private String maskKeyValuePairs(String text) {
        StringBuilder out = null;
        int last = 0;
        int quote = text.indexOf('"');
        while (quote >= 0) {
            int nameEnd = text.indexOf('"', quote + 1);
            if (nameEnd < 0) {
                break;
            }
            boolean escaped = nameEnd > quote + 1 && text.charAt(nameEnd - 1) == '\\';
            int nameLength = nameEnd - quote - 1 - (escaped ? 1 : 0);
            int valueStart = nameLength <= longestName
                    && keyValueNames.contains(text.substring(quote + 1, quote + 1 + nameLength))
                    ? valueStart(text, nameEnd + 1, escaped)
                    : -1;
            if (valueStart < 0) {
                quote = nameEnd;
                continue;
            }
            int valueEnd = escaped ? escapedClosingQuote(text, valueStart) : closingQuote(text, valueStart);
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, valueStart).append(pseudonymOrSelf(text.substring(valueStart, valueEnd)));
            last = valueEnd;
            int after = valueEnd + (escaped ? 2 : 1);
            quote = after < text.length() ? text.indexOf('"', after) : -1;
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /**
     * After a name's closing quote: white space, a colon, white space and a quote ({@code \"} when escaped); the
     * index after it, else -1.
     */
    private static int valueStart(String text, int from, boolean escaped) {
        int i = skipWhiteSpace(text, from);
        if (i >= text.length() || text.charAt(i) != ':') {
            return -1;
        }
        i = skipWhiteSpace(text, i + 1);
        if (escaped) {
            return text.startsWith("\\\"", i) ? i + 2 : -1;
        }
        return i < text.length() && text.charAt(i) == '"' ? i + 1 : -1;
    }

    private static int skipWhiteSpace(String text, int from) {
        int i = from;
        while (i < text.length() && " \t\n\r\f\u000b".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    /** The index of the quote that closes a string started before {@code from}, or the text's length. */
    private static int closingQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return text.length();
    }

    /** The index of the {@code \"} that closes an escaped string started before {@code from}, or the length. */
    private static int escapedClosingQuote(String text, int from) {
        int quote = text.indexOf("\\\"", from);
        return quote < 0 ? text.length() : quote;
    }

    /**
     * E-mail addresses: a local part of letters (any script), digits, combining marks and {@code ._%+-}, an
     * {@code @}, and a domain of labels of letters, digits and {@code -}, the last of two or more letters. Linear:
     * neither part holds an {@code @}, so the scans around one {@code @} never cover those around another.
     */
    private String maskEmails(String text) {
        StringBuilder out = null;
        int last = 0;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            while (start > last && isLocalPartChar(text.charAt(start - 1))) {
                start--;
            }
            int end = domainEnd(text, at + 1);
            if (start == at || end < 0) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, start).append(pseudonym(text.substring(start, end)));
            last = end;
            at = end - 1;
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static boolean isLocalPartChar(char c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || "._%+-".indexOf(c) >= 0
                || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** The end of the longest domain at {@code from}: labels, at least two, the last of letters only; else -1. */
    private static int domainEnd(String text, int from) {
        int end = -1;
        int labels = 0;
        int i = from;
        while (i < text.length()) {
            int labelStart = i;
            boolean letters = true;
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '-')) {
                letters &= Character.isLetter(text.charAt(i));
                i++;
            }
            if (i == labelStart) {
                break;
            }
            labels++;
            if (labels >= 2 && letters && i - labelStart >= 2) {
                end = i;
            }
            if (i >= text.length() || text.charAt(i) != '.') {
                break;
            }
            i++;
        }
        return end;
    }

    private String detectors(String text) {
        Matcher m = detector.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String found = m.group();
            if (ipv6 && m.group(PiiDetector.IPV6.name()) != null && !isIpv6(found)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(pseudonym(found));
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private String pseudonymOrSelf(String value) {
        return PSEUDONYM.matcher(value).matches() ? value : pseudonym(value);
    }

    /**
     * Eight groups of 1-4 hex digits, or fewer with one {@code ::} (at least one group: {@code ::} alone is no
     * address); the last two groups may be written as an IPv4 address.
     */
    static boolean isIpv6(String text) {
        String groups = text;
        int ipv4Groups = 0;
        if (text.indexOf('.') >= 0) {
            int lastColon = text.lastIndexOf(':');
            if (!text.substring(lastColon + 1).matches(OCTET + "(?:\\." + OCTET + "){3}")) {
                return false;
            }
            groups = text.substring(0, lastColon + 1) + "0";
            ipv4Groups = 1; // the IPv4 address is two groups, its placeholder counts one
        }
        int doubleColon = groups.indexOf("::");
        if (doubleColon < 0) {
            int count = countGroups(groups);
            return count >= 0 && count + ipv4Groups == 8;
        }
        if (groups.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int head = countGroups(groups.substring(0, doubleColon));
        int tail = countGroups(groups.substring(doubleColon + 2));
        return head >= 0 && tail >= 0 && head + tail >= 1 && head + tail + ipv4Groups <= 7;
    }

    /** Colon-separated groups of 1-4 characters: how many, 0 for an empty string, -1 when one is empty or long. */
    private static int countGroups(String groups) {
        if (groups.isEmpty()) {
            return 0;
        }
        String[] parts = groups.split(":", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 4) {
                return -1;
            }
        }
        return parts.length;
    }
}
