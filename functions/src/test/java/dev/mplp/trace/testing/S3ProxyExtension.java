package dev.mplp.trace.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link S3ProxyServer} per test class, with one bucket: {@code @RegisterExtension static final S3ProxyExtension
 * S3 = new S3ProxyExtension("my-bucket");}.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private final String bucket;
    private S3ProxyServer server;
    private Path bucketDir;

    public S3ProxyExtension(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new S3ProxyServer().start();
        bucketDir = server.createBucket(bucket);
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

    /** Where the server keeps the bucket's objects: an object's key is its path under this directory. */
    public Path bucketDir() {
        return bucketDir;
    }

    /** {@code s3://bucket/key}. */
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
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
