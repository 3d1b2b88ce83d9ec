package dev.mplp.trace.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies {@code sender.authentication} where its {@code method} is {@code jwt}: the token's signature (HS256,
 * RS256 or ES256, with a key of the JWK set), then its claims: {@code exp} (required) and {@code nbf} against the
 * time the record was read, with clock skew; {@code iss} and {@code aud} when configured; {@code sub} equal to
 * {@code sender.authentication.service_account}.
 *
 * <p>Checking a signature costs far more than the rest of a message's validation (an RSA or EC verification),
 * while one token comes with every message its sender sends until it expires. So the outcome of the signature
 * check (the claims, or why the token is bad) is remembered per token, at most {@code cacheSize} of them, least
 * recently used first out; the claims are checked again for every message, since time moves on.
 */
public final class SenderAuthentication {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256,
            JWSAlgorithm.ES256);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String issuer;
    private final String audience;
    private final long skewMillis;
    private final boolean required;
    private final Map<String, Object> verified;

    /**
     * @param jwks the verification keys
     * @param issuer the required {@code iss}, or empty
     * @param audience the required {@code aud}, or empty
     * @param required whether a message without a jwt authentication fails
     */
    public SenderAuthentication(
            JWKSet jwks, String issuer, String audience, Duration clockSkew, int cacheSize, boolean required) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be at least 1: " + cacheSize);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(jwks)));
        // the claims are checked below, against the record's read time rather than the clock of the moment
        processor.setJWTClaimsSetVerifier(null);
        this.issuer = issuer == null ? "" : issuer;
        this.audience = audience == null ? "" : audience;
        this.skewMillis = clockSkew.toMillis();
        this.required = required;
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** Parses a JWK set (JSON); the error never quotes it. */
    public static JWKSet parseJwks(String json, String where) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException e) {
            throw new SecretException(where + " is not a JWK set");
        }
    }

    /**
     * @param envelope a message with a {@code sender} object
     * @param nowMillis the time the record was read
     * @return null when the sender is authenticated (or uses no jwt and none is required), else why not
     */
    public String failure(JsonNode envelope, long nowMillis) {
        JsonNode authentication = envelope.path("sender").path("authentication");
        if (!"jwt".equals(authentication.path("method").asText(null))) {
            return required ? "no jwt sender.authentication" : null;
        }
        JsonNode token = authentication.get("token");
        if (token == null || !token.isTextual() || token.textValue().isBlank()) {
            return "no sender.authentication.token";
        }
        Object outcome = verified.computeIfAbsent(token.textValue(), this::verifySignature);
        if (outcome instanceof String failure) {
            return failure;
        }
        return claimsFailure((JWTClaimsSet) outcome, authentication.path("service_account").asText(null), nowMillis);
    }

    /** The token's claims when its signature holds, else why not. */
    private Object verifySignature(String token) {
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            return "token is not a JWT";
        } catch (BadJOSEException e) {
            return "token rejected: " + e.getMessage();
        } catch (JOSEException e) {
            return "token not verifiable: " + e.getMessage();
        }
    }

    private String claimsFailure(JWTClaimsSet claims, String serviceAccount, long nowMillis) {
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            return "token has no exp";
        }
        if (nowMillis > expires.getTime() + skewMillis) {
            return "token expired";
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && nowMillis < notBefore.getTime() - skewMillis) {
            return "token not yet valid (nbf)";
        }
        if (!issuer.isEmpty() && !issuer.equals(claims.getIssuer())) {
            return "token issuer is not the configured one";
        }
        List<String> audiences = claims.getAudience();
        if (!audience.isEmpty() && (audiences == null || !audiences.contains(audience))) {
            return "token audience does not include the configured one";
        }
        if (claims.getSubject() == null || !claims.getSubject().equals(serviceAccount)) {
            return "token subject is not sender.authentication.service_account";
        }
        return null;
    }

    /** How many tokens' signature outcomes are remembered (for tests of the bound). */
    int cachedTokens() {
        return verified.size();
    }
}
