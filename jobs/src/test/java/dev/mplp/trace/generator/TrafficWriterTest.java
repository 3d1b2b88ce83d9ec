package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficWriterTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final TrafficGenerator TEN_SECONDS = new TrafficGenerator(
            Runs.settings().duration(Duration.ofSeconds(10)).build());
    private static final List<String> LINES = TEN_SECONDS.lines().toList();

    @TempDir
    Path dir;

    @Test
    void writesJsonLinesToAFileCreatingItsDirectories() throws IOException {
        Path file = dir.resolve("a/b/traffic.jsonl");

        long count = TrafficWriter.toFile(TEN_SECONDS, file, 0);

        assertThat(count).isEqualTo(LINES.size());
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).isEqualTo(LINES);
        assertThat(Files.readString(file)).endsWith("}\n");
    }

    @Test
    void compressesAFileNamedGz() throws IOException {
        Path file = dir.resolve("traffic.jsonl.gz");

        TrafficWriter.toFile(TEN_SECONDS, file, 0);

        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()).isEqualTo(LINES);
        }
    }

    @Test
    void writesToATargetGivenAsText() throws IOException {
        assertThat(TrafficWriter.write(TEN_SECONDS, "file:" + dir.resolve("one.jsonl"), 0)).isEqualTo(LINES.size());
        assertThat(TrafficWriter.write(TEN_SECONDS, dir.resolve("two.jsonl").toString(), 0)).isEqualTo(LINES.size());
        assertThat(TrafficWriter.write(TEN_SECONDS, new Endpoint.File(dir.resolve("three.jsonl")), 0, Map.of()))
                .isEqualTo(LINES.size());
        assertThat(Files.readAllLines(dir.resolve("one.jsonl"))).isEqualTo(LINES);
        assertThat(Files.readAllLines(dir.resolve("two.jsonl"))).isEqualTo(LINES);
        assertThat(Files.readAllLines(dir.resolve("three.jsonl"))).isEqualTo(LINES);
        assertThatThrownBy(() -> TrafficWriter.write(TEN_SECONDS, "http://example/x", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka://HOST:PORT/TOPIC");
        assertThatThrownBy(() -> TrafficWriter.write(TEN_SECONDS, " ", 0))
                .hasMessageContaining("no target");
    }

    @Test
    void writesToAStreamWithoutClosingIt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long count = TrafficWriter.toStream(TEN_SECONDS.stream().limit(5)::iterator, out, 0);

        assertThat(count).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).isEqualTo(LINES.subList(0, 5));
    }

    @Test
    void pacingWaitsForEachMessagesDeliveryTimeScaledByThePace() throws IOException {
        FakeClock clock = new FakeClock();
        TrafficWriter.Pacer pacer = new TrafficWriter.Pacer(0.5, clock);

        pacer.await(T0);
        pacer.await(T0.plusSeconds(2));
        clock.now += 300_000_000L;
        pacer.await(T0.plusSeconds(3));
        pacer.await(T0.plusSeconds(3));

        // 2 s of event time at pace 0.5 is 1 s; then 1.5 s is due, 1.3 s has passed
        assertThat(clock.sleeps).containsExactly(1_000_000_000L, 200_000_000L);
    }

    @Test
    void paceZeroNeverWaits() throws IOException {
        FakeClock clock = new FakeClock();
        TrafficWriter.Pacer pacer = new TrafficWriter.Pacer(0, clock);

        pacer.await(T0);
        pacer.await(T0.plusSeconds(3600));

        assertThat(clock.sleeps).isEmpty();
        assertThat(pacer.pacing()).isFalse();
        assertThatThrownBy(() -> new TrafficWriter.Pacer(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the pace must be 0 (as fast as possible) or a positive number");
    }

    @Test
    void realPacingTakesAboutTheScaledEventTime() throws IOException {
        List<GeneratedMessage> threeSeconds = TEN_SECONDS.stream()
                .takeWhile(m -> m.deliveryTime().isBefore(T0.plusSeconds(3)))
                .toList();
        long started = System.nanoTime();

        TrafficWriter.toStream(threeSeconds, new ByteArrayOutputStream(), 0.1);

        double seconds = (System.nanoTime() - started) / 1e9;
        double expected = Duration.between(threeSeconds.get(0).deliveryTime(),
                threeSeconds.get(threeSeconds.size() - 1).deliveryTime()).toMillis() / 1000.0 * 0.1;
        assertThat(seconds).isBetween(expected * 0.9, expected + 1.0);
    }

    @Test
    void theKafkaProducerIsSafeByDefaultAndTakesExtraProperties() {
        Properties props = KafkaTraffic.producerProperties("localhost:9092", Map.of(
                "security.protocol", "SSL", "linger.ms", "20", "key.serializer", "ignored"));

        assertThat(props).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("linger.ms", "20")
                .containsEntry("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer")
                .containsEntry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        assertThat(KafkaTraffic.producerProperties("h:1", null)).containsEntry("linger.ms", "5");
    }

    private static final class FakeClock implements TrafficWriter.Pacer.Clock {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }
}
