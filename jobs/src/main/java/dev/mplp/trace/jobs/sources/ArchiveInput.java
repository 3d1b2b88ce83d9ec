package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.net.URI;
import java.nio.file.Path;

/**
 * What {@code reprocess --archive} names: files on a Flink file system ({@code file:PATH} or
 * {@code s3://BUCKET/KEY}, possibly with a glob in the last path element), or a Kafka topic read up to its end.
 * Whether files are a Parquet archive root or JSON lines is decided by looking at them ({@link ReprocessInputs}).
 */
public sealed interface ArchiveInput {

    /** A Kafka topic, read from its start to the offsets that are its end when the run starts. */
    record Topic(Endpoint.Kafka topic) implements ArchiveInput {
        @Override
        public String toString() {
            return topic.toString();
        }
    }

    /**
     * @param location a file or directory ({@code file:/abs/path} or {@code s3://bucket/key}); the directory that
     *     holds the matches when {@code glob} is given
     * @param glob a pattern of file names in {@code location}, or null
     * @param text as the user wrote it
     */
    record Files(URI location, String glob, String text) implements ArchiveInput {
        @Override
        public String toString() {
            return text;
        }
    }

    static ArchiveInput of(Endpoint endpoint) {
        return endpoint instanceof Endpoint.Kafka kafka ? new Topic(kafka) : parse(endpoint.toString());
    }

    static ArchiveInput parse(String text) {
        if (text != null && text.startsWith("kafka://")) {
            return new Topic((Endpoint.Kafka) Endpoint.parse(text));
        }
        if (text != null && text.startsWith("s3://")) {
            ArchiveLocation.S3 s3 = (ArchiveLocation.S3) ArchiveLocation.parse(text);
            int slash = s3.prefix().lastIndexOf('/');
            String last = s3.prefix().substring(slash + 1);
            if (isGlob(last)) {
                String parent = slash < 0 ? "" : s3.prefix().substring(0, slash);
                return new Files(new ArchiveLocation.S3(s3.bucket(), parent).uri(), last, text);
            }
            return new Files(s3.uri(), null, text);
        }
        if (text != null && text.startsWith("file:")) {
            Path path = ((Endpoint.File) Endpoint.parse(text)).path().toAbsolutePath().normalize();
            Path name = path.getFileName();
            if (name != null && isGlob(name.toString()) && path.getParent() != null) {
                return new Files(path.getParent().toUri(), name.toString(), text);
            }
            return new Files(path.toUri(), null, text);
        }
        throw new IllegalArgumentException("'" + text + "' is not an archive this job reads; expected file:PATH, "
                + "s3://BUCKET/PREFIX (a Parquet archive root, or JSON-lines files) or kafka://HOST:PORT/TOPIC");
    }

    private static boolean isGlob(String name) {
        return name.matches(".*[*?\\[{].*");
    }
}
