package dev.mplp.trace.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Bytes of the Parquet archive's {@code messages/} over bytes of the raw JSON it archives (target: at most 0.12).
 *
 * <p>TODO(archive): not measured yet. The Parquet archive is on another branch; measuring it here with a second
 * Parquet writer would measure that writer, not the archive. Once the archive is merged: give
 * {@link StreamingThroughput} its {@code archive} output (one line, marked there), and return here the total size of
 * the files under {@code archiveDir.resolve("messages")} divided by {@code rawJsonBytes}.
 */
final class ArchiveRatio {

    private ArchiveRatio() {}

    /** Empty until the archive exists. */
    static Optional<Double> measure(Path archiveDir, long rawJsonBytes) {
        return Optional.empty();
    }
}
