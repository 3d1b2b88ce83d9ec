package dev.mplp.trace.security;

import static dev.mplp.trace.testing.ProtocolMessages.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** JWT sender authentication: each algorithm, each failure, each mode, and the bounded token cache. */
class SenderAuthenticationTest {

    private static final String ISSUER = "https://auth.mplp.dev";
    private static final String AUDIENCE = "trace-analytics";
    private static final String ACCOUNT = "workflow-service@mplp.dev";
    /** When the record is read. */
    private static final Instant READ = Instant.parse("2025-09-03T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static OctetSequenceKey hmacKey;
    private static RSAKey rsaKey;
    private static ECKey ecKey;
    private static Path jwksFile;

    @BeforeAll
    static void keys() throws JOSEException {
        hmacKey = new OctetSequenceKeyGenerator(256).keyID("hs").generate();
        rsaKey = new RSAKeyGenerator(2048).keyID("rs").generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("es").generate();
        JWKSet jwks = new JWKSet(List.of(hmacKey, rsaKey.toPublicJWK(), ecKey.toPublicJWK()));
        // toString(false): with the secret oct key, which HS256 needs
        jwksFile = SecurityFixtures.write(dir.resolve("jwks.json"), jwks.toString(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "ES256"})
    void aValidTokenOfEachAlgorithmAuthenticates(String algorithm) throws JOSEException {
        String token = token(JWSAlgorithm.parse(algorithm), claims -> claims);

        assertThat(authentication().failure(message(token), READ.toEpochMilli())).isNull();
    }

    @Test
    void expiryAndNotBeforeAllowTheClockSkew() throws JOSEException {
        String expiredWithinSkew = token(JWSAlgorithm.HS256,
                claims -> claims.expirationTime(Date.from(READ.minus(SKEW).plusSeconds(1))));
        String notBeforeWithinSkew = token(JWSAlgorithm.HS256,
                claims -> claims.notBeforeTime(Date.from(READ.plus(SKEW).minusSeconds(1))));

        assertThat(authentication().failure(message(expiredWithinSkew), READ.toEpochMilli())).isNull();
        assertThat(authentication().failure(message(notBeforeWithinSkew), READ.toEpochMilli())).isNull();
    }

    /** Each way a token can be wrong, with the reason's detail. */
    enum Failure {
        EXPIRED("token expired"),
        NOT_YET_VALID("token not yet valid (nbf)"),
        NO_EXPIRY("token has no exp"),
        WRONG_ISSUER("token issuer is not the configured one"),
        WRONG_AUDIENCE("token audience does not include the configured one"),
        SUBJECT_IS_NOT_THE_SERVICE_ACCOUNT("token subject is not sender.authentication.service_account"),
        BAD_SIGNATURE("token rejected: Signed JWT rejected: Invalid signature"),
        UNKNOWN_KEY("token rejected: Signed JWT rejected: Another algorithm expected, or no matching key(s) found"),
        UNSIGNED("token rejected: Unsecured (plain) JWTs are rejected, extend class to handle"),
        NOT_A_JWT("token is not a JWT"),
        NO_TOKEN("no sender.authentication.token");

        final String detail;

        Failure(String detail) {
            this.detail = detail;
        }

        String build() throws JOSEException {
            return switch (this) {
                case EXPIRED -> token(JWSAlgorithm.RS256,
                        c -> c.expirationTime(Date.from(READ.minus(SKEW).minusSeconds(1))));
                case NOT_YET_VALID -> token(JWSAlgorithm.ES256,
                        c -> c.notBeforeTime(Date.from(READ.plus(SKEW).plusSeconds(1))));
                case NO_EXPIRY -> token(JWSAlgorithm.HS256, c -> c.expirationTime(null));
                case WRONG_ISSUER -> token(JWSAlgorithm.HS256, c -> c.issuer("https://evil.example"));
                case WRONG_AUDIENCE -> token(JWSAlgorithm.HS256, c -> c.audience("another-service"));
                case SUBJECT_IS_NOT_THE_SERVICE_ACCOUNT -> token(JWSAlgorithm.HS256,
                        c -> c.subject("payments-service@mplp.dev"));
                case BAD_SIGNATURE -> sign(new MACSigner(new OctetSequenceKeyGenerator(256).generate()),
                        JWSAlgorithm.HS256, "hs", claims().build());
                case UNKNOWN_KEY -> sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()),
                        JWSAlgorithm.RS256, "unknown", claims().build());
                case UNSIGNED -> new PlainJWT(claims().build()).serialize();
                case NOT_A_JWT -> "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...";
                case NO_TOKEN -> null;
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void eachFailureIsNamed(Failure failure) throws JOSEException {
        assertThat(authentication().failure(message(failure.build()), READ.toEpochMilli()))
                .isEqualTo(failure.detail);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void modesDecideWhatAFailureDoes(Failure failure) throws JOSEException {
        RawMessage raw = raw(message(failure.build()));

        Validated off = validator(Mode.OFF).validate(raw);
        Validated verify = validator(Mode.VERIFY).validate(raw);
        Validated require = validator(Mode.REQUIRE).validate(raw);

        assertThat(off.isAccepted()).isTrue();
        assertThat(off.unverified()).isEmpty();
        assertThat(verify.isAccepted()).isTrue();
        assertThat(verify.unverified()).containsExactly(SecurityCheck.AUTHENTICATION);
        assertThat(require.isAccepted()).isFalse();
        assertThat(require.deadLetter().reason).isEqualTo(DeadLetterReason.AUTH_FAILED);
        assertThat(require.deadLetter().detail).isEqualTo(failure.detail);
    }

    @Test
    void aMessageWithoutJwtFailsOnlyWhenRequired() {
        ObjectNode withoutJwt = start().remove("sender.authentication").node();

        assertThat(validator(Mode.VERIFY).validate(raw(withoutJwt)).unverified()).isEmpty();
        Validated required = validator(Mode.REQUIRE).validate(raw(withoutJwt));
        assertThat(required.deadLetter().reason).isEqualTo(DeadLetterReason.AUTH_FAILED);
        assertThat(required.deadLetter().detail).isEqualTo("no jwt sender.authentication");
    }

    @Test
    void aValidTokenIsAcceptedInRequireMode() throws JOSEException {
        Validated result = validator(Mode.REQUIRE).validate(raw(message(token(JWSAlgorithm.ES256, c -> c))));

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.unverified()).isEmpty();
    }

    @Test
    void theTokenCacheIsBoundedAndRechecksTimeOnEveryMessage() throws JOSEException {
        SenderAuthentication authentication = new SenderAuthentication(
                parse(), ISSUER, AUDIENCE, SKEW, 2, true);
        String first = token(JWSAlgorithm.HS256, c -> c.jwtID("1"));
        String later = token(JWSAlgorithm.HS256, c -> c.jwtID("2"));
        String last = token(JWSAlgorithm.HS256, c -> c.jwtID("3"));

        assertThat(authentication.failure(message(first), READ.toEpochMilli())).isNull();
        // the same token once its expiry has passed: the cached signature outcome does not keep it valid
        long afterExpiry = READ.plus(Duration.ofHours(1)).plus(SKEW).plusSeconds(1).toEpochMilli();
        assertThat(authentication.failure(message(first), afterExpiry)).isEqualTo("token expired");
        authentication.failure(message(later), READ.toEpochMilli());
        authentication.failure(message(last), READ.toEpochMilli());

        assertThat(authentication.cachedTokens()).isEqualTo(2);
    }

    // ---- builders

    private static SenderAuthentication authentication() {
        return new SenderAuthentication(parse(), ISSUER, AUDIENCE, SKEW, 100, true);
    }

    private static JWKSet parse() {
        return SenderAuthentication.parseJwks(jwks(), "test JWK set");
    }

    private static String jwks() {
        return Secrets.readFile(jwksFile.toString(), "jwks");
    }

    private static MessageValidator validator(Mode mode) {
        MessageSecurity security = new MessageSecurity(
                SecurityFixtures.authentication(mode, jwksFile, ISSUER, AUDIENCE), new Secrets(Map.of()));
        return new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"), security);
    }

    /** Valid claims: issued an hour before the read, expiring an hour after it. */
    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(ACCOUNT)
                .issueTime(Date.from(READ.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(READ.plus(Duration.ofHours(1))));
    }

    private static String token(JWSAlgorithm algorithm, UnaryOperator<JWTClaimsSet.Builder> change)
            throws JOSEException {
        JWTClaimsSet claims = change.apply(claims()).build();
        if (algorithm.equals(JWSAlgorithm.HS256)) {
            return sign(new MACSigner(hmacKey), algorithm, "hs", claims);
        }
        if (algorithm.equals(JWSAlgorithm.RS256)) {
            return sign(new RSASSASigner(rsaKey), algorithm, "rs", claims);
        }
        return sign(new ECDSASigner(ecKey), algorithm, "es", claims);
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String keyId, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static ObjectNode message(String token) {
        ObjectNode message = start().node();
        ObjectNode authentication = ((ObjectNode) message.get("sender")).putObject("authentication");
        authentication.put("method", "jwt");
        if (token != null) {
            authentication.put("token", token);
        }
        authentication.put("service_account", ACCOUNT);
        return message;
    }

    private static RawMessage raw(ObjectNode message) {
        return RawMessage.of(message.toString(), "test:auth", READ.toEpochMilli());
    }
}
