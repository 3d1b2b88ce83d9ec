package dev.mplp.trace.bench;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.records.RawMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A live feed for a {@code DataGeneratorSource}: generated traffic whose event time is the wall clock. The traffic
 * starts when the source opens, and each message is handed out when the wall clock reaches its delivery time (its
 * event time: there are no transport faults here), stamped with that moment as its ingest time. So an alert's event
 * time ({@code evaluation_timestamp}, the event time of the message that changed the incident's state) is also the
 * moment that message entered the source, had the source kept up; if it fell behind, the delay shows as latency,
 * as it would for a real feed.
 *
 * <p>Run the source with parallelism 1: one subtask replays the whole feed in order, as one topic partition would.
 */
final class PacedTraffic implements GeneratorFunction<Long, RawMessage> {

    private static final long serialVersionUID = 1L;

    /** Time between the source opening and the first trace, for the rest of the job to finish starting. */
    private static final Duration LEAD = Duration.ofSeconds(1);

    private final long seed;
    private final Duration duration;
    private final double tracesPerSecond;
    private final List<String> faults;
    private transient Iterator<GeneratedMessage> messages;

    PacedTraffic(long seed, Duration duration, double tracesPerSecond, List<String> faults) {
        this.seed = seed;
        this.duration = duration;
        this.tracesPerSecond = tracesPerSecond;
        this.faults = List.copyOf(faults);
    }

    /** The traffic starting at {@code start}; the number of messages does not depend on the start. */
    GeneratorSettings settings(Instant start) {
        GeneratorSettings.Builder builder =
                GeneratorSettings.builder().seed(seed).start(start).duration(duration).rate(tracesPerSecond);
        faults.forEach(builder::fault);
        return builder.build();
    }

    /** How many messages the feed holds: the source's count. */
    long count() {
        return new TrafficGenerator(settings(GeneratorSettings.DEFAULT_START)).stream().count();
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        messages = new TrafficGenerator(settings(Instant.now().plus(LEAD))).iterator();
    }

    @Override
    public RawMessage map(Long index) throws Exception {
        if (!messages.hasNext()) {
            throw new NoSuchElementException("the feed holds fewer messages than counted, at " + index);
        }
        GeneratedMessage message = messages.next();
        long wait = message.deliveryTime().toEpochMilli() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        byte[] body = message.json().getBytes(StandardCharsets.UTF_8);
        return new RawMessage(body, body.length, "paced:" + index, System.currentTimeMillis());
    }
}
