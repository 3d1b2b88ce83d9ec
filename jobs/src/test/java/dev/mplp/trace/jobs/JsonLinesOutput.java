package dev.mplp.trace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a file output committed: its visible part files (in-progress files are hidden dot-files). */
final class JsonLinesOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLinesOutput() {}

    static List<JsonNode> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    records.add(MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    static List<Path> hiddenFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith("."))
                    .toList();
        }
    }
}
