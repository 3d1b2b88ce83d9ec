package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.records.RawMessage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records as {@link RawMessage}s, untouched: parsing happens in the validator, where a bad record becomes a
 * dead letter instead of failing the source. A record without a value (a tombstone) becomes an empty message, which
 * the validator dead-letters, so that it too is accounted for.
 */
public class KafkaRawMessages implements KafkaRecordDeserializationSchema<RawMessage> {

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawMessage> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        out.collect(new RawMessage(
                value,
                value.length,
                "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset(),
                System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<RawMessage> getProducedType() {
        return TypeInformation.of(RawMessage.class);
    }
}
