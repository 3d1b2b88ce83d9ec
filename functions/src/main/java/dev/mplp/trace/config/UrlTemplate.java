package dev.mplp.trace.config;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link with placeholders, {@code https://grafana.example.com/d/trace?var-service={service}&from={started_at_ms}}:
 * each {@code {name}} is replaced by the URL-encoded value of that name (empty when the value is unknown). Which
 * names exist is the caller's (an alert's fields: {@link #ALERT_FIELDS}); an unknown one is a configuration error.
 */
public final class UrlTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The names an alert fills in. */
    public static final Set<String> ALERT_FIELDS = Set.of(
            "alert_id", "alert_type", "alert_rule_id", "severity", "service", "operation", "metric", "trace_id",
            "span_id", "started_at", "started_at_ms", "evaluation_timestamp", "evaluation_timestamp_ms");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private final String text;

    public UrlTemplate(String text) {
        this.text = text == null ? "" : text;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** The placeholders not among {@code known}, named; null when there are none. */
    public String problem(Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (!known.contains(placeholder.group(1))) {
                unknown.add("{" + placeholder.group(1) + "}");
            }
        }
        return unknown.isEmpty() ? null
                : "unknown placeholder " + String.join(", ", unknown) + " in '" + text + "'; known: "
                        + String.join(", ", new TreeSet<>(known).stream().map(n -> "{" + n + "}").toList());
    }

    /** The text with each placeholder replaced by its URL-encoded value. */
    public String render(Map<String, String> values) {
        return PLACEHOLDER.matcher(text).replaceAll(placeholder -> {
            String value = values.get(placeholder.group(1));
            return Matcher.quoteReplacement(
                    value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        });
    }

    @Override
    public String toString() {
        return text;
    }
}
