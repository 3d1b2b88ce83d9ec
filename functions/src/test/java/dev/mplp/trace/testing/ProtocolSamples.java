package dev.mplp.trace.testing;

import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's four sample messages, the input contract, as copied onto the test classpath under
 * {@code protocol-samples/} (this module's test-jar carries them).
 */
public final class ProtocolSamples {

    public static final String START = "trace-execution-start.json";
    public static final String UPDATE = "trace-execution-update.json";
    public static final String COMPLETE = "trace-execution-complete.json";
    public static final String METRICS = "trace-metrics-collect.json";

    private ProtocolSamples() {}

    /** The sample file of a message type. */
    public static String fileOf(MessageType type) {
        return switch (type) {
            case START -> START;
            case UPDATE -> UPDATE;
            case COMPLETE -> COMPLETE;
            case METRICS -> METRICS;
        };
    }

    /** The sample's bytes exactly as in the file. */
    public static byte[] bytes(String file) {
        String resource = "protocol-samples/" + file;
        try (InputStream in = ProtocolSamples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("not on the test classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample's text. */
    public static String text(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    /** The sample as a source would read it, positioned {@code file:protocol-samples/FILE:1}. */
    public static RawMessage raw(String file, long ingestTime) {
        byte[] bytes = bytes(file);
        return new RawMessage(bytes, bytes.length, "file:protocol-samples/" + file + ":1", ingestTime);
    }
}
