package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.testing.KafkaBrokerExtension;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generated traffic, with malformed and duplicated messages, through a real Kafka broker (started as a process)
 * into the streaming job and out again: every message produced is read, and every dead letter arrives,
 * exactly once, on the dead-letter topic for read_committed readers.
 */
class KafkaRoundTripITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Instant TRAFFIC_START = Instant.parse("2025-09-03T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void generatedTrafficRoundTripsThroughARealBroker() throws Exception {
        KAFKA.createTopic("trace-events", 2);
        KAFKA.createTopic("trace-alerts", 1);
        KAFKA.createTopic("trace-dead-letters", 1);
        List<GeneratedMessage> traffic = new TrafficGenerator(GeneratorSettings.builder()
                        .seed(7)
                        .start(TRAFFIC_START)
                        .duration(Duration.ofSeconds(30))
                        .rate(4)
                        .fault("malformed:*:fraction=0.05")
                        .fault("duplicate:*:fraction=0.03")
                        .build())
                .stream()
                .toList();
        long produced = TrafficWriter.toKafka(traffic, KAFKA.bootstrapServers(), "trace-events", 0, Map.of());
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "kafka.starting-offsets", "earliest",
                "execution.checkpointing.timeout", "50s",
                "kafka.transaction-timeout", "1m"));

        RunSummary summary = StreamJob.run(
                StreamJob.Options.of(
                        Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/trace-events"),
                        Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/trace-alerts"),
                        Endpoint.parse("kafka://" + KAFKA.bootstrapServers() + "/trace-dead-letters"),
                        null,
                        true),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        Map<String, Long> expectedByReason = traffic.stream()
                .map(GeneratedMessage::expectedReason)
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(DeadLetterReason::wireName, TreeMap::new, Collectors.counting()));
        long expectedAccepted = traffic.stream().filter(GeneratedMessage::isValid).count();
        assertThat(expectedByReason).containsKeys("duplicate", "malformed_json");

        assertThat(summary.read()).isEqualTo(produced).isEqualTo(traffic.size());
        assertThat(summary.accepted()).isEqualTo(expectedAccepted);
        assertThat(summary.balanced()).isTrue();

        List<JsonNode> deadLetters = readCommitted("trace-dead-letters", summary.deadLettered());
        assertThat(deadLetters).hasSize((int) summary.deadLettered());
        Map<String, Long> byReason = deadLetters.stream()
                .collect(Collectors.groupingBy(l -> l.get("reason").asText(), TreeMap::new, Collectors.counting()));
        assertThat(byReason).isEqualTo(expectedByReason);
        assertThat(deadLetters).allSatisfy(letter ->
                assertThat(letter.get("source_position").asText()).matches("kafka:trace-events/[01]@\\d+"));
        assertThat(deadLetters.stream().map(l -> l.get("source_position").asText()).distinct())
                .as("one dead letter per record")
                .hasSize(deadLetters.size());
    }

    /** Everything committed on a topic, reading until {@code expected} records arrived or 30 s passed. */
    private static List<JsonNode> readCommitted(String topic, long expected) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // read on for a moment after the expected count, so that a duplicate would show
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(MAPPER.readTree(record.value()));
                }
                if (records.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return records;
    }
}
