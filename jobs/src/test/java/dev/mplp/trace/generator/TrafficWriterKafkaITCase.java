package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generator's Kafka output against a real broker. */
class TrafficWriterKafkaITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void everyLineIsOneRecordKeyedByItsTraceSoATraceStaysInOrderInOnePartition() throws IOException {
        KAFKA.createTopic("traffic", 3);
        TrafficGenerator generator = new TrafficGenerator(Runs.settings().duration(Duration.ofSeconds(10)).build());
        List<GeneratedMessage> messages = generator.stream().toList();

        long count = TrafficWriter.write(generator, "kafka://" + KAFKA.bootstrapServers() + "/traffic", 0);

        assertThat(count).isEqualTo(messages.size());
        List<ConsumerRecord<byte[], byte[]>> records = consume("traffic", messages.size());
        assertThat(records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList())
                .isEqualTo(messages.stream().map(GeneratedMessage::json).sorted().toList());
        Map<String, Integer> partitionOfTrace = new HashMap<>();
        Map<String, List<String>> linesOfTrace = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String trace = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(partitionOfTrace.computeIfAbsent(trace, t -> record.partition())).isEqualTo(record.partition());
            linesOfTrace.computeIfAbsent(trace, t -> new ArrayList<>())
                    .add(new String(record.value(), StandardCharsets.UTF_8));
        }
        assertThat(partitionOfTrace.values()).containsOnly(0, 1, 2).contains(0, 1, 2);
        Map<String, List<String>> expected = new HashMap<>();
        messages.forEach(m -> expected.computeIfAbsent(m.traceId(), t -> new ArrayList<>()).add(m.json()));
        assertThat(linesOfTrace).isEqualTo(expected);
    }

    @Test
    void recordsTheBrokerRefusesFailTheWriteWithTheirCount() {
        KAFKA.createTopic("refused", 1);
        GeneratorSettings settings = Runs.settings().duration(Duration.ofSeconds(5))
                .fault("malformed:*:fraction=0.01,variant=oversize_double_limit,max_bytes=1048576")
                .build();
        long tooLarge = new TrafficGenerator(settings).stream().filter(m -> m.hasFault(FaultType.MALFORMED)).count();

        assertThat(tooLarge).isPositive();
        assertThatThrownBy(() -> TrafficWriter.toKafka(new TrafficGenerator(settings), KAFKA.bootstrapServers(),
                        "refused", 0, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(tooLarge + " of ")
                .hasMessageContaining("records could not be sent to kafka://" + KAFKA.bootstrapServers() + "/refused");
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "traffic-test");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
