package dev.mplp.trace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Row 5: the bytes of the archive's Parquet {@code messages/} table (every accepted message, its original JSON in
 * the {@code payload} column, zstd) over the bytes of the raw JSON lines, from the streaming run's archive.
 */
final class ArchiveRatio {

    private ArchiveRatio() {}

    /** Empty when the run wrote no {@code messages/} table. */
    static Optional<Double> measure(Path archiveDir, long rawJsonBytes) throws IOException {
        Path messages = archiveDir.resolve("messages");
        if (!Files.isDirectory(messages) || rawJsonBytes <= 0) {
            return Optional.empty();
        }
        long parquetBytes;
        try (Stream<Path> files = Files.walk(messages)) {
            parquetBytes = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
        return Optional.of((double) parquetBytes / rawJsonBytes);
    }
}
