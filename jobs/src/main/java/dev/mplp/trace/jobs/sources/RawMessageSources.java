package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.KafkaClientProperties;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.RawRecordWatermarks;
import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The sources of raw protocol records: JSON-lines files (bounded) and Kafka topics. */
public final class RawMessageSources {

    private RawMessageSources() {}

    /**
     * @param stopAtEnd Kafka only: stop at the offsets that are the end of the topic when the job starts, making the
     *     run bounded (files are always bounded)
     */
    public static Source<RawMessage, ?, ?> create(Endpoint endpoint, TraceAnalyticsConfig config, boolean stopAtEnd) {
        if (endpoint instanceof Endpoint.File file) {
            // several files are read merged by event time, so that none is late behind another
            return new TimeOrderedFiles(
                    resolveFiles(file.path()).stream()
                            .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                            .toList(),
                    new JsonLinesFormat(config.ingest().maxMessageBytes()));
        }
        Endpoint.Kafka kafka = (Endpoint.Kafka) endpoint;
        TraceAnalyticsConfig.Kafka settings = config.kafka();
        Properties properties = KafkaClientProperties.resolve(settings.properties());
        KafkaSourceBuilder<RawMessage> builder = KafkaSource.<RawMessage>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.topic())
                .setGroupId(settings.groupId())
                .setProperties(properties)
                .setDeserializer(new KafkaRawMessages())
                .setStartingOffsets(switch (settings.startingOffsets()) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                });
        if (stopAtEnd) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * Event time at the source: on each partition of a Kafka topic ({@link RawRecordWatermarks}), so that no
     * partition's messages are late behind another's that the same subtask reads. None for files: a subtask reads
     * its files merged by time ({@link TimeOrderedFiles}), and the pipeline puts event time on them after parsing.
     *
     * @param stopAtEnd as for {@link #create}: the input is then bounded, never idle
     */
    public static WatermarkStrategy<RawMessage> eventTime(
            Endpoint endpoint, TraceAnalyticsConfig config, boolean stopAtEnd) {
        return endpoint instanceof Endpoint.Kafka
                ? RawRecordWatermarks.of(config.ingest().sourceFormat(), config.eventTime(), stopAtEnd)
                : WatermarkStrategy.noWatermarks();
    }

    /**
     * A file, a directory (all its files, recursively; names starting with '.' or '_' are skipped, as Flink does),
     * or a glob in the last path element ({@code data/*.jsonl}).
     */
    static List<Path> resolveFiles(Path path) {
        if (Files.exists(path)) {
            return List.of(path);
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        Path parent = path.toAbsolutePath().getParent();
        if (name.matches(".*[*?\\[{].*") && parent != null && Files.isDirectory(parent)) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
            try (Stream<Path> children = Files.list(parent)) {
                List<Path> matches = children.filter(p -> Files.isRegularFile(p))
                        .filter(p -> matcher.matches(p.getFileName()))
                        .sorted()
                        .toList();
                if (!matches.isEmpty()) {
                    return matches;
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + parent + ": " + e.getMessage(), e);
            }
            throw new IllegalArgumentException("no file matches " + path);
        }
        throw new IllegalArgumentException("no such file or directory: " + path);
    }
}
