package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void readsKafkaAndFileLocations() {
        assertThat(Endpoint.parse("kafka://127.0.0.1:9092,broker-2:9093/trace.events"))
                .isEqualTo(new Endpoint.Kafka("127.0.0.1:9092,broker-2:9093", "trace.events"));
        assertThat(Endpoint.parse("file:out/alerts")).isEqualTo(new Endpoint.File(Path.of("out/alerts")));
        assertThat(Endpoint.parse("file:///tmp/x")).isEqualTo(new Endpoint.File(Path.of("/tmp/x")));
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> Endpoint.parse("kafka://localhost:9092"))
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> Endpoint.parse("kafka://localhost/topic")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> Endpoint.parse("kafka://h:1/bad topic")).hasMessageContaining("topic name");
        assertThatThrownBy(() -> Endpoint.parse("s3://bucket/x")).hasMessageContaining("kafka://HOST:PORT/TOPIC");
        assertThatThrownBy(() -> Endpoint.parse("file:")).hasMessageContaining("no path");
    }
}
