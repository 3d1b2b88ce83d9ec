package dev.mplp.trace.sinks.archive;

import java.net.URI;
import java.nio.file.Path;

/**
 * The root of the archive: {@code s3://BUCKET/PREFIX} (Flink's S3 file system) or {@code file:DIR} (a local or
 * mounted directory). Parsed once from {@code --archive}, with a message that names the problem.
 */
public sealed interface ArchiveLocation {

    /** The root as a URI Flink's file systems understand: {@code s3://bucket/prefix} or {@code file:/abs/dir}. */
    URI uri();

    record S3(String bucket, String prefix) implements ArchiveLocation {
        @Override
        public URI uri() {
            return URI.create("s3://" + bucket + "/" + prefix);
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    record Local(Path directory) implements ArchiveLocation {
        @Override
        public URI uri() {
            return directory.toAbsolutePath().normalize().toUri();
        }

        @Override
        public String toString() {
            return "file:" + directory;
        }
    }

    static ArchiveLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty archive location; expected s3://BUCKET/PREFIX or file:DIR");
        }
        if (text.startsWith("file:")) {
            String path = text.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' names no directory; expected file:DIR");
            }
            return new Local(Path.of(path));
        }
        if (text.startsWith("s3://")) {
            String rest = text.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
            // S3's bucket naming rules: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending
            // with a letter or digit
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("'" + text + "': '" + bucket + "' is not a valid S3 bucket name"
                        + " (3-63 lowercase letters, digits, '.', '-'); expected s3://BUCKET/PREFIX");
            }
            if (prefix.contains("//") || prefix.startsWith("/")) {
                throw new IllegalArgumentException("'" + text + "': the prefix has an empty path segment");
            }
            return new S3(bucket, prefix);
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not an archive location; expected s3://BUCKET/PREFIX or file:DIR");
    }
}
