package dev.mplp.trace.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link S3ProxyServer} per test class: {@code @RegisterExtension static final S3ProxyExtension S3 = new
 * S3ProxyExtension();}.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new S3ProxyServer().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop();
        }
    }

    public S3ProxyServer server() {
        return server;
    }

    /** The {@code --set} overrides that point the archive's S3 client at this server, with its credentials. */
    public Map<String, String> archiveSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("archive.s3.endpoint", server.endpoint());
        settings.put("archive.s3.path-style-access", "true");
        settings.put("archive.s3.region", "us-east-1");
        settings.put("archive.s3.access-key", server.accessKey());
        settings.put("archive.s3.secret-key", server.secretKey());
        return settings;
    }
}
