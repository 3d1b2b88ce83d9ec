package dev.mplp.trace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * How fast one thread parses the corpus: Jackson alone (the ceiling: no job can ingest faster than it parses), and
 * the job's own ingest step ({@link MessageValidator}: strict UTF-8, tree, checks, binding, extraction), which is
 * what the streaming job actually spends per message. Each loops over the same in-memory lines, untimed for a
 * warm-up (JIT), then timed.
 */
final class ParseCeiling {

    /** Messages and bytes parsed in {@code seconds}. */
    record Rate(long messages, long bytes, double seconds) {
        double messagesPerSecond() {
            return messages / seconds;
        }

        double megabytesPerSecond() {
            return bytes / seconds / 1_000_000.0;
        }
    }

    private ParseCeiling() {}

    /** Jackson's tree parser over the raw bytes, as a consumer of the protocol would parse at the least. */
    static Rate jackson(List<byte[]> lines, Duration warmUp, Duration measure) {
        return loop(lines, warmUp, measure, ParseCeiling::readTree);
    }

    /**
     * The same on {@code threads} threads at once, each looping over the lines from its own offset: messages of all
     * threads over the longest thread's timed seconds.
     */
    static Rate jackson(List<byte[]> lines, int threads, Duration warmUp, Duration measure)
            throws InterruptedException {
        Rate[] rates = new Rate[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            List<byte[]> rotated = new ArrayList<>(lines.subList(index * lines.size() / threads,
                    lines.size()));
            rotated.addAll(lines.subList(0, index * lines.size() / threads));
            workers[t] = new Thread(() -> rates[index] = loop(rotated, warmUp, measure, ParseCeiling::readTree),
                    "jackson-ceiling-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Rate(Arrays.stream(rates).mapToLong(Rate::messages).sum(),
                Arrays.stream(rates).mapToLong(Rate::bytes).sum(),
                Arrays.stream(rates).mapToDouble(Rate::seconds).max().orElse(0));
    }

    private static long readTree(byte[] line) {
        try {
            JsonNode tree = Json.mapper().readTree(line);
            return tree.size();
        } catch (IOException e) {
            throw new IllegalStateException("the corpus holds a line Jackson cannot parse", e);
        }
    }

    /** The job's ingest step on one core: every check the streaming job makes before a message is accepted. */
    static Rate validator(List<byte[]> lines, Duration warmUp, Duration measure, Set<String> protocolVersions) {
        MessageValidator validator = new MessageValidator(1 << 20, 65536, protocolVersions);
        return loop(lines, warmUp, measure, line -> {
            Validated result = validator.validate(new RawMessage(line, line.length, "bench", 0L));
            return result.isAccepted() ? 1 : 0;
        });
    }

    /**
     * The same decisions by the tree path ({@link MessageValidator#validateByTree}: strict UTF-8 decoding, tree, checks
     * on the tree, binding the tree), the ingest step before the one-pass read; it still names every rejection.
     */
    static Rate treeValidator(List<byte[]> lines, Duration warmUp, Duration measure, Set<String> protocolVersions) {
        MessageValidator validator = new MessageValidator(1 << 20, 65536, protocolVersions);
        return loop(lines, warmUp, measure, line -> {
            Validated result = validator.validateByTree(new RawMessage(line, line.length, "bench", 0L));
            return result.isAccepted() ? 1 : 0;
        });
    }

    private static Rate loop(List<byte[]> lines, Duration warmUp, Duration measure, ToLongFunction<byte[]> parse) {
        long sink = 0;
        long warmUpEnd = System.nanoTime() + warmUp.toNanos();
        for (int i = 0; System.nanoTime() < warmUpEnd; i = (i + 1) % lines.size()) {
            sink += parse.applyAsLong(lines.get(i));
        }
        long messages = 0;
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + measure.toNanos();
        long now = start;
        // the clock is read once per pass over 64 lines, not per line
        for (int i = 0; now < end; ) {
            for (int k = 0; k < 64; k++, i = (i + 1) % lines.size()) {
                byte[] line = lines.get(i);
                sink += parse.applyAsLong(line);
                messages++;
                bytes += line.length;
            }
            now = System.nanoTime();
        }
        if (sink == Long.MIN_VALUE) {
            // never true: keeps the JIT from dropping the parse as dead code
            System.out.print("");
        }
        return new Rate(messages, bytes, (now - start) / 1e9);
    }
}
