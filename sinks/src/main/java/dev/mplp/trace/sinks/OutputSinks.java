package dev.mplp.trace.sinks;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.KafkaClientProperties;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * The JSON-lines outputs of the jobs (alerts, dead letters), to a directory or a Kafka topic. Both are
 * exactly-once with checkpointing: file parts are committed and Kafka transactions are committed when a checkpoint
 * completes.
 */
public final class OutputSinks {

    private OutputSinks() {}

    /** The Kafka record key of an output's records. */
    @FunctionalInterface
    public interface KeyOf<T> extends Serializable {
        String key(T record);
    }

    /**
     * @param outputName short name of the output ({@code alerts}, {@code dead-letters}): the file prefix and part
     *     of the Kafka transactional id
     */
    public static <T> Sink<T> jsonLines(
            Endpoint endpoint, String outputName, JsonLines.ToJson<T> toJson, TraceAnalyticsConfig config) {
        return jsonLines(endpoint, outputName, toJson, null, config);
    }

    /**
     * As {@link #jsonLines(Endpoint, String, JsonLines.ToJson, TraceAnalyticsConfig)}, with Kafka records keyed by
     * {@code keyOf} (UTF-8; null for unkeyed records), so that both records of one incident land in one partition,
     * in order, and a compacted topic keeps the latest state of each.
     */
    public static <T> Sink<T> jsonLines(
            Endpoint endpoint,
            String outputName,
            JsonLines.ToJson<T> toJson,
            KeyOf<T> keyOf,
            TraceAnalyticsConfig config) {
        JsonLines<T> format = new JsonLines<>(toJson);
        if (endpoint instanceof Endpoint.File file) {
            return FileSink.forRowFormat(new Path(file.path().toAbsolutePath().toUri()), format)
                    .withBucketAssigner(new BasePathBucketAssigner<>())
                    .withRollingPolicy(new CheckpointAndSizeRollingPolicy<>(
                            config.output().maxPartSize().bytes()))
                    .withOutputFileConfig(OutputFileConfig.builder()
                            .withPartPrefix(outputName)
                            .withPartSuffix(".jsonl")
                            .build())
                    .build();
        }
        return kafka((Endpoint.Kafka) endpoint, outputName, format, keyOf, config);
    }

    /**
     * Records serialized by {@code values} to a Kafka topic, keyed by {@code keyOf} (null: unkeyed), exactly-once
     * per {@code kafka.delivery-guarantee}.
     */
    public static <T> Sink<T> kafka(
            Endpoint.Kafka kafka,
            String outputName,
            SerializationSchema<T> values,
            KeyOf<T> keyOf,
            TraceAnalyticsConfig config) {
        TraceAnalyticsConfig.Kafka settings = config.kafka();
        Properties producer = KafkaClientProperties.resolve(settings.properties());
        producer.setProperty(
                "transaction.timeout.ms", Long.toString(settings.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(kafkaRecords(kafka.topic(), values, keyOf))
                .setDeliveryGuarantee(deliveryGuarantee(settings.deliveryGuarantee()))
                .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + outputName)
                .build();
    }

    static <T> KafkaRecordSerializationSchema<T> kafkaRecords(
            String topic, SerializationSchema<T> format, KeyOf<T> keyOf) {
        var builder = KafkaRecordSerializationSchema.<T>builder()
                .setTopic(topic)
                .setValueSerializationSchema(format);
        if (keyOf != null) {
            builder.setKeySerializationSchema(
                    record -> keyOf.key(record) == null ? null : keyOf.key(record).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static DeliveryGuarantee deliveryGuarantee(TraceAnalyticsConfig.DeliveryGuarantee guarantee) {
        return switch (guarantee) {
            case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
            case NONE -> DeliveryGuarantee.NONE;
        };
    }
}
