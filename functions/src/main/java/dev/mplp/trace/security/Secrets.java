package dev.mplp.trace.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Where the jobs' secrets come from: files named in the configuration and environment variables. Errors name the
 * file or variable, never its content.
 */
public final class Secrets implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Prefix of the environment variables holding one sender's HMAC key (base64). */
    public static final String HMAC_KEY_ENV_PREFIX = "TRACE_ANALYTICS_HMAC_KEY_";
    /** The JWK set (JSON) used when {@code security.authentication.jwks-file} is empty. */
    public static final String JWKS_ENV = "TRACE_ANALYTICS_JWKS";
    /** The pseudonym key used when {@code security.pii.key-file} is empty. */
    public static final String PII_KEY_ENV = "TRACE_ANALYTICS_PII_KEY";

    /** The Alertmanager basic-auth password used when {@code alertmanager.basic-auth.password-file} is empty. */
    public static final String ALERTMANAGER_PASSWORD_ENV = "TRACE_ANALYTICS_ALERTMANAGER_PASSWORD";
    /** The Alertmanager bearer token used when {@code alertmanager.bearer-token-file} is empty. */
    public static final String ALERTMANAGER_TOKEN_ENV = "TRACE_ANALYTICS_ALERTMANAGER_TOKEN";
    /** The password of {@code alertmanager.tls.trust-store} when its password file is empty. */
    public static final String ALERTMANAGER_TRUST_STORE_PASSWORD_ENV =
            "TRACE_ANALYTICS_ALERTMANAGER_TRUST_STORE_PASSWORD";

    private final Map<String, String> environment;

    public Secrets(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The process environment. */
    public static Secrets fromEnvironment() {
        return new Secrets(System.getenv());
    }

    /** A variable's value, or null when unset or blank. */
    public String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The environment variable holding {@code senderId}'s HMAC key: upper case, other characters as {@code _}. */
    public static String hmacKeyVariable(String senderId) {
        return HMAC_KEY_ENV_PREFIX + senderId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A file's text, trimmed. */
    public static String readFile(String path, String what) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            throw new SecretException(what + ": cannot read file " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Base64 (standard or URL-safe, padding optional) to bytes; the error names {@code what}, not the value. */
    public static byte[] decodeBase64(String text, String what) {
        String value = text.trim();
        try {
            return value.indexOf('-') >= 0 || value.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(value)
                    : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new SecretException(what + " is not base64");
        }
    }
}
