package dev.mplp.trace.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of {@link TrafficWriter}, apart so that writing files never loads kafka-clients.
 */
final class KafkaTraffic {

    private KafkaTraffic() {}

    static long send(Iterable<GeneratedMessage> messages, String bootstrapServers, String topic,
            TrafficWriter.Pacer pacer, Map<String, String> properties) throws IOException {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProperties(bootstrapServers, properties))) {
            for (GeneratedMessage message : messages) {
                pacer.await(message.deliveryTime());
                byte[] key = message.traceId() == null ? null : message.traceId().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, message.json().getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                        });
                count++;
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IOException(failed.get() + " of " + count + " records could not be sent to kafka://"
                    + bootstrapServers + "/" + topic + ": " + firstError.get().getMessage(), firstError.get());
        }
        return count;
    }

    /** The producer's settings: the defaults described at {@link TrafficWriter#toKafka}, then {@code extra}. */
    static Properties producerProperties(String bootstrapServers, Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // room for oversize test records; the broker's own limit still applies
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "trace-traffic-generator");
        if (extra != null) {
            props.putAll(extra);
        }
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
