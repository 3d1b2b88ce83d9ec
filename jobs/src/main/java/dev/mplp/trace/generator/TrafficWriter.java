package dev.mplp.trace.generator;

import dev.mplp.trace.config.Endpoint;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes generated traffic to a JSON-lines file (UTF-8, one message a line; gzip-compressed when the name ends in
 * {@code .gz}), to any output stream, or to a Kafka topic (the key is the trace id, so a trace stays in one
 * partition and in order). Each method returns the number of lines written.
 *
 * <p>{@code pace} is wall-clock seconds per second of event time (of delivery time, to be exact): {@code 0} writes
 * as fast as possible, {@code 1} replays event time in real time, {@code 0.1} ten times faster than real time.
 */
public final class TrafficWriter {

    private TrafficWriter() {}

    /**
     * Writes to {@code target}: {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC}, {@code file:PATH}, a bare path, or
     * {@code -} for standard output.
     */
    public static long write(Iterable<GeneratedMessage> messages, String target, double pace) throws IOException {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("no target; expected kafka://HOST:PORT/TOPIC, file:PATH, PATH or -");
        }
        if (target.equals("-")) {
            long count = toStream(messages, System.out, pace);
            System.out.flush();
            return count;
        }
        if (!target.startsWith("kafka:") && !target.startsWith("file:") && !target.contains("://")) {
            return toFile(messages, Path.of(target), pace);
        }
        return write(messages, Endpoint.parse(target), pace, Map.of());
    }

    /**
     * Writes to a parsed endpoint; {@code kafkaProperties} go to the producer unchanged (security settings and the
     * like; they may override the defaults of {@link #toKafka}).
     */
    public static long write(Iterable<GeneratedMessage> messages, Endpoint target, double pace,
            Map<String, String> kafkaProperties) throws IOException {
        if (target instanceof Endpoint.Kafka kafka) {
            return toKafka(messages, kafka.bootstrapServers(), kafka.topic(), pace, kafkaProperties);
        }
        if (target instanceof Endpoint.File file) {
            return toFile(messages, file.path(), pace);
        }
        throw new IllegalArgumentException("cannot write to " + target);
    }

    /** Writes JSON lines to {@code file}, replacing it and creating its parent directories. */
    public static long toFile(Iterable<GeneratedMessage> messages, Path file, double pace) throws IOException {
        Pacer pacer = new Pacer(pace);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            return writeLines(messages, writer, pacer);
        }
    }

    /** Writes JSON lines to {@code out}, flushing but not closing it. */
    public static long toStream(Iterable<GeneratedMessage> messages, OutputStream out, double pace)
            throws IOException {
        Pacer pacer = new Pacer(pace);
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long count = writeLines(messages, writer, pacer);
        writer.flush();
        return count;
    }

    private static long writeLines(Iterable<GeneratedMessage> messages, Writer writer, Pacer pacer)
            throws IOException {
        long count = 0;
        for (GeneratedMessage message : messages) {
            if (pacer.pacing()) {
                writer.flush();
                pacer.await(message.deliveryTime());
            }
            writer.write(message.json());
            writer.write('\n');
            count++;
        }
        return count;
    }

    /**
     * Sends each line as one record to {@code topic}, keyed by its trace id, with {@code acks=all}, idempotence on
     * and a small linger; flushes and closes the producer before returning. Records carry the time they are sent
     * (the event time is in the message), so that the topic's time-based retention applies as usual.
     * {@code properties} go to the producer after these defaults (security settings and the like). Only this
     * method needs kafka-clients.
     *
     * @throws IOException if any record could not be sent, with the count and the first error
     */
    public static long toKafka(Iterable<GeneratedMessage> messages, String bootstrapServers, String topic,
            double pace, Map<String, String> properties) throws IOException {
        return KafkaTraffic.send(messages, bootstrapServers, topic, new Pacer(pace), properties);
    }

    /** Holds each message back until its delivery time, scaled by the pace, has passed on the wall clock. */
    static final class Pacer {

        /** The wall clock, replaceable in tests. */
        interface Clock {
            long nanoTime();

            void sleepNanos(long nanos) throws InterruptedException;
        }

        static final Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };

        private final double pace;
        private final Clock clock;
        private Instant first;
        private long wallStart;

        Pacer(double pace) {
            this(pace, SYSTEM);
        }

        Pacer(double pace, Clock clock) {
            if (!(pace >= 0) || !Double.isFinite(pace)) {
                throw new IllegalArgumentException("the pace must be 0 (as fast as possible) or a positive number "
                        + "of wall-clock seconds per event-time second, not " + pace);
            }
            this.pace = pace;
            this.clock = clock;
        }

        boolean pacing() {
            return pace > 0;
        }

        void await(Instant deliveryTime) throws InterruptedIOException {
            if (pace == 0) {
                return;
            }
            if (first == null) {
                first = deliveryTime;
                wallStart = clock.nanoTime();
                return;
            }
            long due = wallStart + (long) (Duration.between(first, deliveryTime).toNanos() * pace);
            long wait = due - clock.nanoTime();
            if (wait > 0) {
                try {
                    clock.sleepNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while pacing the traffic");
                }
            }
        }
    }
}
