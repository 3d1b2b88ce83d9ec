package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * The Kafka run's paced traffic (same generator settings: seed, rate, so the same density) for a stretch of event
 * time, written once as one JSON-lines file and once as {@link KafkaThroughput#PARTITIONS} files split as the
 * topic's partitions are (Kafka's own partitioner: murmur2 of the trace id), so that every copy of a message and
 * every message of a trace are in one file, as they are in one partition.
 *
 * @param file the whole corpus in one file
 * @param parts the directory of the split files
 * @param messages lines in the corpus
 * @param head its first lines, as a source hands them to the parser (for the parse ceiling)
 */
record LiveCorpus(Path file, Path parts, long messages, List<byte[]> head) {

    static LiveCorpus generate(GeneratorSettings settings, Path dir, int headLines) throws IOException {
        Path file = dir.resolve("traffic.jsonl");
        Path parts = dir.resolve("parts");
        Files.createDirectories(parts);
        List<byte[]> head = new ArrayList<>(headLines);
        OutputStream[] partOut = new OutputStream[KafkaThroughput.PARTITIONS];
        long messages = 0;
        try (OutputStream whole = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < partOut.length; i++) {
                partOut[i] = new BufferedOutputStream(
                        Files.newOutputStream(parts.resolve("part-" + i + ".jsonl")), 1 << 16);
            }
            for (GeneratedMessage message : new TrafficGenerator(settings)) {
                byte[] line = message.json().getBytes(StandardCharsets.UTF_8);
                if (head.size() < headLines) {
                    head.add(line);
                }
                whole.write(line);
                whole.write('\n');
                OutputStream part = partOut[partition(message.traceId())];
                part.write(line);
                part.write('\n');
                messages++;
            }
        } finally {
            for (OutputStream out : partOut) {
                if (out != null) {
                    out.close();
                }
            }
        }
        return new LiveCorpus(file, parts, messages, head);
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code traceId} (none: the first). */
    static int partition(String traceId) {
        if (traceId == null) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(traceId.getBytes(StandardCharsets.UTF_8))) % KafkaThroughput.PARTITIONS;
    }
}
