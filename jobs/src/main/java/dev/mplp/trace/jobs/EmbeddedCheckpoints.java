package dev.mplp.trace.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints an embedded run leaves in its checkpoint directory, as Flink lays them out:
 * {@code DIR/JOB_ID/chk-N/_metadata}, the metadata written last, so a checkpoint without it never completed.
 */
final class EmbeddedCheckpoints {

    private EmbeddedCheckpoints() {}

    /** The newest completed checkpoint under {@code directory} (any earlier run's job), if there is one. */
    static Optional<Path> latest(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(directory)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(EmbeddedCheckpoints::completed)
                    .max(Comparator.comparing(EmbeddedCheckpoints::completedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + directory, e);
        }
    }

    private static Stream<Path> completed(Path jobDirectory) {
        try (Stream<Path> checkpoints = Files.list(jobDirectory)) {
            return checkpoints
                    .filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .filter(path -> Files.isRegularFile(path.resolve("_metadata")))
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + jobDirectory, e);
        }
    }

    private static long completedAt(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
