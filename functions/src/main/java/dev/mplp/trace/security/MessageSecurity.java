package dev.mplp.trace.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.SecurityConfig.Mode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The security settings of validation, with the keys they need. Serializable without its keys: they are read from
 * their files and the environment where the job runs, on first use, so they never travel in the job graph.
 */
public final class MessageSecurity implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SecurityConfig config;
    private final Secrets secrets;

    private transient boolean loaded;
    private transient MessageIntegrity integrity;
    private transient SenderAuthentication authentication;
    private transient PiiMasker masker;

    public MessageSecurity(SecurityConfig config, Secrets secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    /** Keys from the process environment. */
    public MessageSecurity(SecurityConfig config) {
        this(config, Secrets.fromEnvironment());
    }

    /** Nothing checked, nothing masked. */
    public static MessageSecurity none() {
        return new MessageSecurity(SecurityConfig.disabled(), new Secrets(java.util.Map.of()));
    }

    /**
     * Reads every key the settings need; called before a job is submitted, so a missing key fails at once.
     *
     * @throws SecretException naming what is missing
     */
    public MessageSecurity load() {
        if (loaded) {
            return this;
        }
        if (config.integrity().mode() != Mode.OFF) {
            integrity = new MessageIntegrity(IntegrityKeys.load(config.integrity().keysFile(), secrets));
        }
        SecurityConfig.Authentication auth = config.authentication();
        if (auth.mode() != Mode.OFF) {
            String jwks = auth.jwksFile() == null || auth.jwksFile().isBlank()
                    ? secrets.variable(Secrets.JWKS_ENV)
                    : Secrets.readFile(auth.jwksFile(), "security.authentication.jwks-file");
            if (jwks == null) {
                throw new SecretException("security.authentication is on but neither "
                        + "security.authentication.jwks-file nor " + Secrets.JWKS_ENV + " is set");
            }
            authentication = new SenderAuthentication(
                    SenderAuthentication.parseJwks(jwks, "the JWK set"),
                    auth.issuer(),
                    auth.audience(),
                    auth.clockSkew(),
                    auth.cacheSize(),
                    auth.mode() == Mode.REQUIRE);
        }
        SecurityConfig.Pii pii = config.pii();
        if (pii.enabled()) {
            String key = pii.keyFile() == null || pii.keyFile().isBlank()
                    ? secrets.variable(Secrets.PII_KEY_ENV)
                    : Secrets.readFile(pii.keyFile(), "security.pii.key-file");
            if (key == null) {
                throw new SecretException("security.pii is enabled but neither security.pii.key-file nor "
                        + Secrets.PII_KEY_ENV + " is set");
            }
            masker = new PiiMasker(key.getBytes(StandardCharsets.UTF_8), pii.attributeKeys(), pii.detectors());
        }
        loaded = true;
        return this;
    }

    public Mode mode(SecurityCheck check) {
        return check == SecurityCheck.INTEGRITY ? config.integrity().mode() : config.authentication().mode();
    }

    /** Why the check fails for this envelope, or null when it holds or is off. */
    public String failure(SecurityCheck check, JsonNode envelope, long readTimeMillis) {
        load();
        return switch (check) {
            case INTEGRITY -> integrity == null ? null : integrity.failure(envelope);
            case AUTHENTICATION -> authentication == null ? null : authentication.failure(envelope, readTimeMillis);
        };
    }

    /** Whether a check or the masking is on: each of them works on the message as a JSON tree. */
    public boolean readsTree() {
        return mode(SecurityCheck.INTEGRITY) != Mode.OFF || mode(SecurityCheck.AUTHENTICATION) != Mode.OFF
                || masksPii();
    }

    public boolean masksPii() {
        return config.pii().enabled();
    }

    /** Masks a JSON tree in place (unchanged when masking is off). */
    public JsonNode mask(JsonNode root) {
        load();
        return masker == null ? root : masker.mask(root);
    }

    /** Masks free text (unchanged when masking is off). */
    public String maskText(String text) {
        load();
        return masker == null ? text : masker.maskText(text);
    }
}
