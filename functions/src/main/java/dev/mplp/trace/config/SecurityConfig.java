package dev.mplp.trace.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code security:} block: message integrity, sender authentication and PII masking. Holds no secret itself,
 * only where to find one (a file path; environment variables are named in the README), so the configuration can be
 * printed and shipped with the job graph.
 */
public record SecurityConfig(
        @JsonProperty(required = true) Integrity integrity,
        @JsonProperty(required = true) Authentication authentication,
        @JsonProperty(required = true) Pii pii)
        implements Serializable {

    /** The default of every block: nothing checked, nothing masked. */
    public static SecurityConfig disabled() {
        return new SecurityConfig(
                new Integrity(Mode.OFF, ""),
                new Authentication(Mode.OFF, "", "", "", Duration.ofSeconds(60), 10_000),
                new Pii(false, "", List.of(), List.of()));
    }

    /**
     * @param mode what a missing or wrong {@code security.integrity_check} does
     * @param keysFile a properties file {@code SENDER_ID=BASE64_KEY}; empty for keys from the environment only
     */
    public record Integrity(Mode mode, @JsonProperty("keys-file") String keysFile) implements Serializable {}

    /**
     * @param jwksFile a JWK set (RSA, EC and {@code oct} keys) the tokens are verified with; empty for the
     *     environment's
     * @param issuer the required {@code iss}; empty accepts any
     * @param audience the required {@code aud}; empty accepts any
     * @param clockSkew how far {@code exp} and {@code nbf} may be off
     * @param cacheSize verified tokens remembered per subtask
     */
    public record Authentication(
            Mode mode,
            @JsonProperty("jwks-file") String jwksFile,
            String issuer,
            String audience,
            @JsonProperty("clock-skew") Duration clockSkew,
            @JsonProperty("cache-size") int cacheSize)
            implements Serializable {}

    /**
     * @param enabled whether PII is replaced by pseudonyms
     * @param keyFile a file holding the pseudonym key; empty for the environment's
     * @param attributeKeys field names or dotted path suffixes whose values are always replaced
     * @param detectors kinds of values replaced wherever they occur in a string
     */
    public record Pii(
            boolean enabled,
            @JsonProperty("key-file") String keyFile,
            @JsonProperty("attribute-keys") List<String> attributeKeys,
            List<PiiDetector> detectors)
            implements Serializable {}

    /** What a security check does with a message that fails it. */
    public enum Mode {
        /** Not checked. */
        OFF,
        /** Checked; a failure is counted (metric and run summary) but the message is accepted. */
        VERIFY,
        /** Checked; a failure is a dead letter. */
        REQUIRE;

        @JsonCreator
        static Mode parse(String text) {
            // YAML 1.1 reads a bare `off` as the boolean false
            String name = text.trim().toLowerCase(Locale.ROOT);
            return name.equals("false") ? OFF : Mode.valueOf(name.toUpperCase(Locale.ROOT));
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Kinds of PII found by their form wherever they are. */
    public enum PiiDetector {
        @JsonProperty("email")
        EMAIL,
        @JsonProperty("ipv4")
        IPV4,
        @JsonProperty("ipv6")
        IPV6,
        @JsonProperty("phone")
        PHONE
    }
}
