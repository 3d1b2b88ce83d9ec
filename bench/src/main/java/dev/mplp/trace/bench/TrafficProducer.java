package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.TrafficWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generated traffic into a Kafka topic through the generator's own Kafka writer ({@link TrafficWriter#toKafka}:
 * each message a record keyed by its trace id, so a trace, and every copy of a message, stays in one partition and
 * in order; {@code acks=all}, idempotent), lz4-compressed as a busy producer's would be; either as fast as possible
 * (a backlog) or paced on a thread of its own ({@link #THREAD}). Generating on the fly keeps a run of any length off
 * the disk; its CPU is that thread's and the Kafka client's network thread's, which the benchmark reports apart
 * from the job's.
 */
final class TrafficProducer implements AutoCloseable {

    /** The paced producer's thread: generating the traffic and handing it to the Kafka client. */
    static final String THREAD = "bench-traffic";
    /** The generator's client id: its network thread is {@code kafka-producer-network-thread | <this>}. */
    static final String CLIENT_ID = "trace-traffic-generator";

    private static final Map<String, String> PROPERTIES = Map.of("compression.type", "lz4");

    private final String bootstrapServers;
    private final String topic;
    private final AtomicReference<Exception> error = new AtomicReference<>();
    private volatile Instant lastDelivery;
    private volatile boolean stopping;
    private volatile double pace = 1;
    /** Ends the writer's current pass, so that the next starts at the new pace. */
    private volatile boolean repace;
    private Thread thread;

    TrafficProducer(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** Sends every message as fast as the client takes them; returns once the broker acknowledged them all. */
    long sendAll(Iterable<GeneratedMessage> messages) throws IOException {
        return TrafficWriter.toKafka(() -> noting(messages.iterator()), bootstrapServers, topic, 0, PROPERTIES);
    }

    /**
     * Starts sending {@code messages} on a thread of its own, one second of delivery time per {@code pace} seconds
     * of wall clock, until {@link #close()} or until they run out.
     */
    void startPaced(Iterator<GeneratedMessage> messages, double pace) {
        this.pace = pace;
        Iterator<GeneratedMessage> noted = noting(messages);
        thread = new Thread(() -> {
            try {
                while (!stopping && noted.hasNext()) {
                    repace = false;
                    // each pass anchors event time to the wall clock at its first message
                    TrafficWriter.toKafka(() -> until(noted), bootstrapServers, topic, this.pace, PROPERTIES);
                }
            } catch (Exception e) {
                error.compareAndSet(null, e);
            }
        }, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends slower or faster from now on: {@code pace} wall-clock seconds per second of delivery time. */
    void pace(double pace) {
        this.pace = pace;
        this.repace = true;
    }

    /** The delivery time of the last message handed to the writer. */
    Instant lastDelivery() {
        failIfBroken();
        return lastDelivery;
    }

    /** Throws what stopped the paced thread, if anything did. */
    void failIfBroken() {
        if (error.get() != null) {
            throw new IllegalStateException("the benchmark's producer could not send", error.get());
        }
    }

    /** {@code messages}, noting each one's delivery time as it is taken. */
    private Iterator<GeneratedMessage> noting(Iterator<GeneratedMessage> messages) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return messages.hasNext();
            }

            @Override
            public GeneratedMessage next() {
                GeneratedMessage message = messages.next();
                lastDelivery = message.deliveryTime();
                return message;
            }
        };
    }

    /** {@code messages} until the producer stops or changes its pace. */
    private Iterator<GeneratedMessage> until(Iterator<GeneratedMessage> messages) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stopping && !repace && messages.hasNext();
            }

            @Override
            public GeneratedMessage next() {
                // not hasNext() again: the flags may change between the writer's hasNext() and next()
                return messages.next();
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(30_000);
        }
    }
}
