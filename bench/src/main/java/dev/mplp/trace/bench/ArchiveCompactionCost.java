package dev.mplp.trace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Row 5's compaction figures: the files of the streaming run's archive (compaction at its default) against those of
 * the same run with {@code archive.compaction.interval=0}, per table and hour partition.
 */
final class ArchiveCompactionCost {

    private ArchiveCompactionCost() {}

    /** The visible Parquet files of an archive: how many, in how many table partitions, the most in one, bytes. */
    record Census(long files, long partitions, long mostInOnePartition, long bytes) {

        String describe() {
            return String.format("%,d files in %,d table partitions (at most %,d in one), %.1f MB", files, partitions,
                    mostInOnePartition, bytes / 1e6);
        }
    }

    static Census census(Path archiveDir) throws IOException {
        if (!Files.isDirectory(archiveDir)) {
            return new Census(0, 0, 0, 0);
        }
        List<Path> parquet;
        try (Stream<Path> walk = Files.walk(archiveDir)) {
            parquet = walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
        }
        // TABLE/dt=…/hour=…
        Map<Path, Long> perPartition = parquet.stream()
                .collect(Collectors.groupingBy(f -> archiveDir.relativize(f.getParent()), Collectors.counting()));
        long bytes = 0;
        for (Path file : parquet) {
            bytes += Files.size(file);
        }
        return new Census(parquet.size(), perPartition.size(),
                perPartition.values().stream().mapToLong(Long::longValue).max().orElse(0), bytes);
    }
}
