package dev.mplp.trace.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** One record as one line of JSON, for file outputs ({@link Encoder}) and Kafka values ({@link SerializationSchema}). */
public final class JsonLines<T> implements Encoder<T>, SerializationSchema<T> {

    /** Turns a record into its JSON text (no line break). */
    @FunctionalInterface
    public interface ToJson<T> extends Serializable {
        String toJson(T record);
    }

    private static final byte[] NEWLINE = {'\n'};

    private final ToJson<T> toJson;

    public JsonLines(ToJson<T> toJson) {
        this.toJson = toJson;
    }

    @Override
    public void encode(T record, OutputStream stream) throws IOException {
        stream.write(serialize(record));
        stream.write(NEWLINE);
    }

    @Override
    public byte[] serialize(T record) {
        return toJson.toJson(record).getBytes(StandardCharsets.UTF_8);
    }
}
