package dev.mplp.trace.sinks.alertmanager;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.security.SecretException;
import dev.mplp.trace.security.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the job reaches its Alertmanagers: the JDK's HTTP client, trusting the configured CA certificates or trust
 * store on {@code https://}, and the {@code Authorization} header of basic or bearer authentication. Secrets come
 * from the files the configuration names or from the environment, read where the sink runs; errors name the file
 * or variable, never the value.
 */
final class AlertmanagerConnection {

    private AlertmanagerConnection() {}

    static HttpClient httpClient(TraceAnalyticsConfig.Alertmanager settings, Secrets secrets) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.requestTimeout());
        SSLContext tls = sslContext(settings.tls(), secrets);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** The {@code Authorization} header's value, or null for none. */
    static String authorization(TraceAnalyticsConfig.Alertmanager settings, Secrets secrets) {
        TraceAnalyticsConfig.BasicAuth basic = settings.basicAuth();
        if (!isBlank(basic.username())) {
            String password = secret(basic.passwordFile(), Secrets.ALERTMANAGER_PASSWORD_ENV,
                    "alertmanager.basic-auth password", secrets);
            if (password == null) {
                throw new SecretException("alertmanager.basic-auth: no password: set "
                        + "alertmanager.basic-auth.password-file or " + Secrets.ALERTMANAGER_PASSWORD_ENV);
            }
            return "Basic " + Base64.getEncoder().encodeToString(
                    (basic.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        String token = secret(settings.bearerTokenFile(), Secrets.ALERTMANAGER_TOKEN_ENV,
                "alertmanager.bearer-token-file", secrets);
        return token == null ? null : "Bearer " + token;
    }

    private static SSLContext sslContext(TraceAnalyticsConfig.AlertmanagerTls tls, Secrets secrets) {
        if (isBlank(tls.caFile()) && isBlank(tls.trustStore())) {
            return null;
        }
        String what = isBlank(tls.caFile()) ? "alertmanager.tls.trust-store" : "alertmanager.tls.ca-file";
        String file = isBlank(tls.caFile()) ? tls.trustStore() : tls.caFile();
        try {
            KeyStore trusted;
            if (!isBlank(tls.caFile())) {
                trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                Collection<? extends Certificate> certificates;
                try (InputStream in = Files.newInputStream(Path.of(tls.caFile()))) {
                    certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certificates.isEmpty()) {
                    throw new SecretException(what + ": no certificate in " + file);
                }
                int index = 0;
                for (Certificate certificate : certificates) {
                    trusted.setCertificateEntry("ca-" + index++, certificate);
                }
            } else {
                String password = secret(tls.trustStorePasswordFile(), Secrets.ALERTMANAGER_TRUST_STORE_PASSWORD_ENV,
                        "alertmanager.tls.trust-store-password-file", secrets);
                trusted = KeyStore.getInstance(Path.of(file).toFile(),
                        password == null ? null : password.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new SecretException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The file's text when a file is named, else the variable's value, else null. */
    private static String secret(String file, String variable, String what, Secrets secrets) {
        return isBlank(file) ? secrets.variable(variable) : Secrets.readFile(file, what);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
