package dev.mplp.trace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what a job wrote to Kafka, as a read_committed consumer, and where a job's consumer group stands. */
final class KafkaTopicReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KafkaTopicReader() {}

    /**
     * Every committed JSON record of a topic: reads up to the last stable offset as of the call (no transaction of a
     * stopped job is open any more, so that is everything).
     */
    static List<JsonNode> readCommitted(String bootstrapServers, String topic) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end offsets are the last stable offsets
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to " + end + " in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(MAPPER.readTree(record.value()));
                }
            }
        }
        return records;
    }

    /**
     * Waits until the consumer group has committed the end offset of every partition of the topic: the job has read
     * everything and checkpointed it (the Kafka source commits its offsets when a checkpoint completes).
     */
    static void awaitConsumed(String bootstrapServers, String groupId, String topic, Duration timeout)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int partitionCount = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitionCount; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> end.put(partition, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                try {
                    committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                } catch (Exception brokerRestarting) {
                    // the broker of a fault test may be on its way back: ask again
                }
                Map<TopicPartition, OffsetAndMetadata> now = committed;
                if (end.entrySet().stream().allMatch(e ->
                        now.get(e.getKey()) != null && now.get(e.getKey()).offset() >= e.getValue())) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("group " + groupId + " committed " + committed + " of " + end
                    + " after " + timeout);
        }
    }
}
