package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.testing.KafkaBroker;
import dev.mplp.trace.testing.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job reads through a SASL/SCRAM-SHA-256 listener of a real broker with the credentials given in
 * {@code kafka.properties}, and with a wrong password stops before starting, naming the endpoint and the cause.
 */
class KafkaScramITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final String USER = "trace-analytics";
    private static final String PASSWORD = "right-password-1";
    private static final String TOPIC = "trace-events";

    private static KafkaBroker broker;
    private static long produced;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker().withScramUser(USER, PASSWORD).start();
        broker.createTopic(TOPIC, 1);
        List<GeneratedMessage> traffic = new TrafficGenerator(GeneratorSettings.builder()
                        .seed(5)
                        .duration(Duration.ofSeconds(10))
                        .rate(2)
                        .build())
                .stream()
                .toList();
        produced = TrafficWriter.toKafka(traffic, broker.bootstrapServers(), TOPIC, 0, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readsWithTheRightCredentials() throws Exception {
        RunSummary summary = run(PASSWORD);

        assertThat(summary.read()).isEqualTo(produced);
        assertThat(summary.balanced()).isTrue();
    }

    @Test
    void failsFastWithAClearMessageWithAWrongPassword() {
        String wrong = "wrong-password-2";

        assertThatThrownBy(() -> run(wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--source kafka://" + broker.saslBootstrapServers() + "/" + TOPIC)
                .hasMessageContaining("authentication failed")
                .hasMessageNotContaining(wrong);
    }

    private RunSummary run(String password) throws Exception {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\\\"" + USER
                + "\\\" password=\\\"" + password + "\\\";";
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of(
                "execution.checkpointing.interval", "1s",
                "kafka.starting-offsets", "earliest",
                "kafka.properties", "{\"security.protocol\": \"SASL_PLAINTEXT\", \"sasl.mechanism\": "
                        + "\"SCRAM-SHA-256\", \"sasl.jaas.config\": \"" + jaas + "\"}"));
        assertThat(config.kafka().toString()).doesNotContain(password);
        return StreamJob.run(
                StreamJob.Options.of(
                        Endpoint.parse("kafka://" + broker.saslBootstrapServers() + "/" + TOPIC),
                        new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")),
                        null,
                        true),
                config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
