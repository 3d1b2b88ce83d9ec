package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Severity;
import dev.mplp.trace.security.SecretException;
import dev.mplp.trace.security.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client sends on the wire: its authentication header, and whom it trusts on https. */
class AlertmanagerConnectionTest {

    private static final String STORE_PASSWORD = "changeit-test";

    @TempDir
    Path dir;

    @Test
    void basicAuthenticationTakesThePasswordFromItsFileElseFromTheEnvironment() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("password"), "s3cret:with colon\n");
        TraceAnalyticsConfig.Alertmanager fromFile = settings(Map.of(
                "alertmanager.basic-auth.username", "trace-analytics",
                "alertmanager.basic-auth.password-file", passwordFile.toString()));
        TraceAnalyticsConfig.Alertmanager fromEnvironment = settings(Map.of(
                "alertmanager.basic-auth.username", "trace-analytics"));

        assertThat(sentAuthorization(fromFile, new Secrets(Map.of())))
                .isEqualTo(basic("trace-analytics:s3cret:with colon"));
        assertThat(sentAuthorization(fromEnvironment,
                new Secrets(Map.of(Secrets.ALERTMANAGER_PASSWORD_ENV, "from-env"))))
                .isEqualTo(basic("trace-analytics:from-env"));
        assertThatThrownBy(() -> AlertmanagerConnection.authorization(fromEnvironment, new Secrets(Map.of())))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining(Secrets.ALERTMANAGER_PASSWORD_ENV);
    }

    @Test
    void aBearerTokenComesFromItsFileElseFromTheEnvironmentAndWithoutEitherNothingIsSent() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "token-from-file\n");

        assertThat(sentAuthorization(settings(Map.of("alertmanager.bearer-token-file", tokenFile.toString())),
                new Secrets(Map.of(Secrets.ALERTMANAGER_TOKEN_ENV, "ignored"))))
                .isEqualTo("Bearer token-from-file");
        assertThat(sentAuthorization(settings(Map.of()), new Secrets(Map.of(Secrets.ALERTMANAGER_TOKEN_ENV, "t-env"))))
                .isEqualTo("Bearer t-env");
        assertThat(sentAuthorization(settings(Map.of()), new Secrets(Map.of()))).isNull();
        assertThatThrownBy(() -> AlertmanagerConnection.authorization(
                        settings(Map.of("alertmanager.bearer-token-file", dir.resolve("missing").toString())),
                        new Secrets(Map.of())))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining(dir.resolve("missing").toString());
    }

    @Test
    void overHttpsTheClientTrustsTheConfiguredCaFileOrTrustStoreAndNothingElse() throws Exception {
        Path keyStore = dir.resolve("alertmanager.p12");
        keytool("-genkeypair", "-alias", "alertmanager", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        Path caFile = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "alertmanager", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", caFile.toString());
        Path trustStore = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caFile.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        Path trustStorePassword = Files.writeString(dir.resolve("trust-password"), STORE_PASSWORD);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(keyStore)));
        try (CapturingServer server = CapturingServer.serve(https, 200)) {
            post(server, settings(Map.of("alertmanager.tls.ca-file", caFile.toString())), new Secrets(Map.of()));
            post(server, settings(Map.of("alertmanager.tls.trust-store", trustStore.toString(),
                    "alertmanager.tls.trust-store-password-file", trustStorePassword.toString())), new Secrets(Map.of()));
            assertThat(server.requests).hasSize(2);

            // the JVM's own trust store does not know the self-signed certificate
            assertThatThrownBy(() -> post(server, settings(Map.of()), new Secrets(Map.of())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("after 1 attempts");
            assertThat(server.requests).hasSize(2);
        }
    }

    private static String sentAuthorization(TraceAnalyticsConfig.Alertmanager settings, Secrets secrets)
            throws Exception {
        try (CapturingServer server = CapturingServer.answering(200)) {
            post(server, settings, secrets);
            assertThat(server.requests).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/api/v2/alerts");
                assertThat(request.body()).contains("\"alert_id\":\"id-1\"");
            });
            return server.requests.get(0).authorization();
        }
    }

    private static void post(CapturingServer server, TraceAnalyticsConfig.Alertmanager settings, Secrets secrets)
            throws Exception {
        AlertmanagerClient client = new AlertmanagerClient(server.location(),
                settings.retries(), settings.retryBackoff(), settings.requestTimeout(),
                AlertmanagerConnection.httpClient(settings, secrets),
                AlertmanagerConnection.authorization(settings, secrets), AlertmanagerClient.Delays.REAL);
        var batch = PostableAlerts.array();
        batch.add(new PostableAlerts(settings).of(
                TestAlerts.triggered("id-1", Severity.WARNING, Instant.parse("2025-09-03T10:00:00Z")),
                Instant.parse("2025-09-03T10:01:00Z")));
        client.post(batch);
    }

    private TraceAnalyticsConfig.Alertmanager settings(Map<String, String> overrides) {
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.put("alertmanager.retries", "0");
        return ConfigLoader.load(null, all).alertmanager();
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
    }
}
