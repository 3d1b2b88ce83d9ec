package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated input every throughput figure reads: the project's own generator, default topology, no faults, a
 * fixed seed, written as one JSON-lines file.
 *
 * @param file the JSON-lines file
 * @param messages lines in it
 * @param bytes its size
 * @param tracesGenerated traces started in it (event-time duration × rate, for messages per trace)
 */
record Corpus(Path file, long messages, long bytes, double tracesGenerated) {

    static GeneratorSettings settings(BenchSettings bench) {
        return GeneratorSettings.builder()
                .seed(bench.seed())
                .duration(bench.corpusDuration())
                .rate(bench.corpusRate())
                .build();
    }

    static Corpus generate(BenchSettings bench) throws IOException {
        Path file = bench.workDir().resolve("input").resolve("traffic.jsonl");
        long messages = TrafficWriter.toFile(new TrafficGenerator(settings(bench)), file, 0);
        return new Corpus(file, messages, Files.size(file),
                bench.corpusDuration().toMillis() / 1000.0 * bench.corpusRate());
    }

    double messagesPerTrace() {
        return messages / tracesGenerated;
    }

    double averageMessageBytes() {
        return (double) bytes / messages;
    }

    /** A file of the first {@code count} lines, next to the corpus: the input of a warm-up run. */
    Path headFile(int count) throws IOException {
        Path head = file.resolveSibling("head-" + count + ".jsonl");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                BufferedWriter writer = Files.newBufferedWriter(head, StandardCharsets.UTF_8)) {
            String line;
            for (int i = 0; i < count && (line = reader.readLine()) != null; i++) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return head;
    }

    /** The first {@code count} lines as UTF-8 bytes (without line breaks): what a source hands the parser. */
    List<byte[]> head(int count) throws IOException {
        List<byte[]> lines = new ArrayList<>(count);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (lines.size() < count && (line = reader.readLine()) != null) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
