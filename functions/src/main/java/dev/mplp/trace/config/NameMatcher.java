package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which names (of services, operations, alert types) a rule applies to: those {@link #include} lists (all when it
 * lists none) and {@link #exclude} does not. An entry is an exact name, or, starting with {@code ~}, a regular
 * expression the whole name must match ({@code ~pay.*}, as PromQL's {@code =~}). Written as a mapping
 * ({@code {include: [checkout, "~pay.*"], exclude: ["~.*-canary"]}}) or, for one entry, as that entry alone
 * ({@code checkout}). The same shape in the configuration (YAML) and in rule documents (JSON); a Flink POJO.
 */
public class NameMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    public String[] include = new String[0];
    public String[] exclude = new String[0];

    private transient Pattern[] includePatterns;
    private transient Pattern[] excludePatterns;

    public NameMatcher() {}

    /** The shorthand: one name or {@code ~REGEX} (Jackson reads a string with it). */
    public static NameMatcher valueOf(String entry) {
        return including(entry);
    }

    public static NameMatcher including(String... entries) {
        NameMatcher matcher = new NameMatcher();
        matcher.include = entries.clone();
        return matcher;
    }

    public NameMatcher excluding(String... entries) {
        NameMatcher matcher = new NameMatcher();
        matcher.include = include;
        matcher.exclude = entries.clone();
        return matcher;
    }

    /** True when {@code name} is included and not excluded; an unknown (null) name is only matched by no include. */
    public boolean matches(String name) {
        if (includePatterns == null) {
            includePatterns = compile(include);
            excludePatterns = compile(exclude);
        }
        boolean included = includePatterns.length == 0 || (name != null && anyMatches(includePatterns, name));
        return included && (name == null || !anyMatches(excludePatterns, name));
    }

    /** Why this matcher cannot be used (a null entry, a regular expression that does not compile), or null. */
    public String problem() {
        for (String entry : concat()) {
            if (entry == null || entry.isEmpty()) {
                return "an empty entry; give a name or ~REGEX";
            }
            if (entry.startsWith("~")) {
                try {
                    Pattern.compile(entry.substring(1));
                } catch (PatternSyntaxException e) {
                    return "'" + entry + "' is not a regular expression: " + e.getDescription();
                }
            }
        }
        return null;
    }

    /** True when it restricts nothing (every name matches). */
    @JsonIgnore
    public boolean isEmpty() {
        return orEmpty(include).length == 0 && orEmpty(exclude).length == 0;
    }

    /** A null matcher matches every name. */
    public static boolean matches(NameMatcher matcher, String name) {
        return matcher == null || matcher.matches(name);
    }

    private List<String> concat() {
        return java.util.stream.Stream.concat(Arrays.stream(orEmpty(include)), Arrays.stream(orEmpty(exclude)))
                .toList();
    }

    private static String[] orEmpty(String[] entries) {
        return entries == null ? new String[0] : entries;
    }

    private static Pattern[] compile(String[] entries) {
        return Arrays.stream(orEmpty(entries))
                .map(entry -> entry.startsWith("~") ? Pattern.compile(entry.substring(1)) : Pattern.compile(Pattern.quote(entry)))
                .toArray(Pattern[]::new);
    }

    private static boolean anyMatches(Pattern[] patterns, String name) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameMatcher other
                && Arrays.equals(include, other.include)
                && Arrays.equals(exclude, other.exclude);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(include) + Arrays.hashCode(exclude);
    }

    @Override
    public String toString() {
        return "{include=" + Arrays.toString(include) + ", exclude=" + Arrays.toString(exclude) + "}";
    }
}
