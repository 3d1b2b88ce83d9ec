package dev.mplp.trace.sinks;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.util.Properties;
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

    /**
     * @param outputName short name of the output ({@code alerts}, {@code dead-letters}): the file prefix and part
     *     of the Kafka transactional id
     */
    public static <T> Sink<T> jsonLines(
            Endpoint endpoint, String outputName, JsonLines.ToJson<T> toJson, TraceAnalyticsConfig config) {
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
        Endpoint.Kafka kafka = (Endpoint.Kafka) endpoint;
        TraceAnalyticsConfig.Kafka settings = config.kafka();
        Properties producer = new Properties();
        producer.putAll(settings.properties());
        producer.setProperty(
                "transaction.timeout.ms", Long.toString(settings.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(kafka.topic())
                        .setValueSerializationSchema(format)
                        .build())
                .setDeliveryGuarantee(deliveryGuarantee(settings.deliveryGuarantee()))
                .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + outputName)
                .build();
    }

    private static DeliveryGuarantee deliveryGuarantee(TraceAnalyticsConfig.DeliveryGuarantee guarantee) {
        return switch (guarantee) {
            case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
            case NONE -> DeliveryGuarantee.NONE;
        };
    }
}
