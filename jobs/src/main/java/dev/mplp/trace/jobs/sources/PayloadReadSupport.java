package dev.mplp.trace.jobs.sources;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads only the {@code payload} column of a {@code messages/} file (the message's JSON exactly as the streaming job
 * received it): Parquet then decodes no other column. Each row becomes the payload's bytes.
 */
final class PayloadReadSupport extends ReadSupport<byte[]> {

    static final String PAYLOAD = "payload";

    @Override
    public ReadContext init(InitContext context) {
        MessageType file = context.getFileSchema();
        if (!file.containsField(PAYLOAD)) {
            throw new IllegalArgumentException("not a messages table file: it has no '" + PAYLOAD + "' column "
                    + "(its columns: " + file.getFields().stream().map(Type::getName).toList() + ")");
        }
        Type payload = file.getType(PAYLOAD);
        if (!payload.isPrimitive()
                || payload.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY) {
            throw new IllegalArgumentException("not a messages table file: its '" + PAYLOAD + "' column is " + payload
                    + ", not a string");
        }
        return new ReadContext(new MessageType(file.getName(), payload));
    }

    @Override
    public RecordMaterializer<byte[]> prepareForRead(
            Configuration configuration, Map<String, String> metadata, MessageType fileSchema, ReadContext context) {
        return new PayloadMaterializer();
    }

    private static final class PayloadMaterializer extends RecordMaterializer<byte[]> {
        private byte[] payload;

        private final PrimitiveConverter payloadConverter = new PrimitiveConverter() {
            @Override
            public void addBinary(Binary value) {
                payload = value.getBytes();
            }
        };

        private final GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return payloadConverter;
            }

            @Override
            public void start() {
                payload = null;
            }

            @Override
            public void end() {}
        };

        @Override
        public byte[] getCurrentRecord() {
            return payload;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
