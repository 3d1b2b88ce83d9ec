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
 * every other string the parts the detectors find. Text that is not JSON (dead letters of unparsable records) gets
 * the detectors, and {@code "NAME": "value"} pairs whose name is the last segment of an attribute key.
 */
public final class PiiMasker {

    public static final String PSEUDONYM_PREFIX = "pii:";
    private static final Pattern PSEUDONYM = Pattern.compile("pii:[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    private static final String EMAIL = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String IPV4 = "(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?!\\.?\\w)";
    /** Candidates only; {@link #isIpv6} decides. Not inside a longer run of words, colons or dotted numbers. */
    private static final String IPV6 =
            "(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + OCTET + "(?:\\." + OCTET + "){3}|[0-9A-Fa-f]{1,4})?"
            + "(?!\\.?[\\w:])";
    /** {@code +CC} and 7 to 14 more digits in groups, or a national number with separators: (555) 123-4567. */
    private static final String PHONE = "(?<![\\w+])(?:\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,5}\\)?){2,6}"
            + "|\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4})(?![\\w])";

    private final byte[] key;
    private final Set<String> attributeKeys;
    private final Set<PiiDetector> detectors;
    private final Pattern detector;
    private final Pattern keyValueText;

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
        this.detectors = detectors.isEmpty() ? Set.of() : Set.copyOf(detectors);
        List<String> alternatives = new ArrayList<>();
        for (PiiDetector d : this.detectors) {
            alternatives.add("(?<" + d.name() + ">" + switch (d) {
                case EMAIL -> EMAIL;
                case IPV4 -> IPV4;
                case IPV6 -> IPV6;
                case PHONE -> PHONE;
            } + ")");
        }
        this.detector = alternatives.isEmpty() ? null : Pattern.compile(String.join("|", alternatives));
        Set<String> names = this.attributeKeys.stream()
                .map(k -> k.substring(k.lastIndexOf('.') + 1))
                .collect(Collectors.toSet());
        names.addAll(this.attributeKeys);
        this.keyValueText = names.isEmpty()
                ? null
                : Pattern.compile("(\"(?:" + names.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                        + ")\"\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"");
    }

    /** The pseudonym of a value. */
    public String pseudonym(String value) {
        byte[] mac = MessageIntegrity.hmac(key, value.getBytes(StandardCharsets.UTF_8));
        return PSEUDONYM_PREFIX + HEX.formatHex(mac, 0, 8);
    }

    /** Masks a JSON tree in place; returns it. */
    public JsonNode mask(JsonNode root) {
        maskChildren(root, "");
        return root;
    }

    private void maskChildren(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
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

    private String pseudonymOf(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        return PSEUDONYM.matcher(text).matches() ? text : pseudonym(text);
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

    /** The detectors over free text, plus {@code "NAME": "value"} pairs of attribute keys; null stays null. */
    public String maskText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        if (keyValueText != null && masked.indexOf('"') >= 0) {
            Matcher pairs = keyValueText.matcher(masked);
            masked = pairs.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"" + pseudonymOrSelf(m.group(2))
                    + "\""));
        }
        return detector == null ? masked : detectors(masked);
    }

    private String detectors(String text) {
        Matcher m = detector.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String found = m.group();
            if (detectors.contains(PiiDetector.IPV6) && m.group(PiiDetector.IPV6.name()) != null && !isIpv6(found)) {
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
