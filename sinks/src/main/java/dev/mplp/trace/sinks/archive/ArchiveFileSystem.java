package dev.mplp.trace.sinks.archive;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Hands the {@code archive.s3.*} settings to Flink's S3 file system ({@code flink-s3-fs-hadoop}), which reads
 * {@code s3.*} keys of the Flink configuration and passes them to Hadoop's S3A as {@code fs.s3a.*}.
 *
 * <p>Flink configures file systems once per process ({@link FileSystem#initialize}), not per job: this applies to
 * a job that runs in this JVM (the embedded Flink, a test's MiniCluster). On a Flink cluster the task managers use
 * their own configuration, where the same {@code s3.*} keys go into {@code config.yaml} (see the README).
 */
public final class ArchiveFileSystem {

    private ArchiveFileSystem() {}

    /**
     * The Flink configuration keys for the S3 settings; empty settings are left out (S3A's defaults apply). Always
     * {@code s3.directory.marker.retention: keep}: S3A would otherwise send a bulk DELETE of the parent "directory"
     * markers after every committed part file, one more request per file that buys nothing for an archive (and
     * that some S3-compatible stores answer only after a client timeout).
     */
    public static Map<String, String> s3Settings(TraceAnalyticsConfig.ArchiveS3 s3) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("s3.directory.marker.retention", "keep");
        putIfGiven(settings, "s3.endpoint", s3.endpoint());
        settings.put("s3.path.style.access", Boolean.toString(s3.pathStyleAccess()));
        putIfGiven(settings, "s3.endpoint.region", s3.region());
        putIfGiven(settings, "s3.access-key", s3.accessKey());
        putIfGiven(settings, "s3.secret-key", s3.secretKey());
        return settings;
    }

    /**
     * (Re)initializes this JVM's file systems with the S3 settings on top of {@code base}, then checks that the
     * archive root's scheme has a file system, with a message that says what is missing if not.
     */
    public static void configureInThisJvm(ArchiveLocation location, TraceAnalyticsConfig.Archive archive,
            Configuration base) {
        Configuration configuration = new Configuration(base);
        s3Settings(archive.s3()).forEach(
                (key, value) -> configuration.set(ConfigOptions.key(key).stringType().noDefaultValue(), value));
        // plugins from FLINK_PLUGINS_DIR, as on a cluster: flink-s3-fs-hadoop must be loaded as a plugin, its
        // unshaded Hadoop and AWS SDK apart from the job's classes
        FileSystem.initialize(configuration, PluginUtils.createPluginManagerFromRootFolder(configuration));
        requireFileSystem(location);
    }

    /** Fails with a clear message when no file system serves the archive root's scheme. */
    public static void requireFileSystem(ArchiveLocation location) {
        try {
            FileSystem.get(location.uri());
        } catch (Exception e) {
            throw new IllegalArgumentException("--archive " + location + ": no usable file system for it ("
                    + e.getMessage() + "); s3:// needs the flink-s3-fs-hadoop plugin (FLINK_PLUGINS_DIR/s3-fs-hadoop/;"
                    + " jobs/target/flink-plugins for embedded runs, plugins/s3-fs-hadoop/ on a Flink cluster)", e);
        }
    }

    private static void putIfGiven(Map<String, String> settings, String key, String value) {
        if (value != null && !value.isBlank()) {
            settings.put(key, value);
        }
    }

    /** The path of a table under the archive root. */
    static Path tablePath(ArchiveLocation location, ArchiveTable<?> table) {
        return new Path(new Path(location.uri()), table.name());
    }
}
