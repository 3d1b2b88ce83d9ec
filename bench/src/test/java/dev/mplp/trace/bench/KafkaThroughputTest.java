package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaThroughputTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theBacklogsMetricsMessagesGetIdsNoOtherRunOfTheGeneratorGives() {
        List<GeneratedMessage> traffic = new TrafficGenerator(GeneratorSettings.builder()
                .seed(8).duration(Duration.ofSeconds(20)).rate(5).build()).stream().toList();
        List<GeneratedMessage> paced = new TrafficGenerator(GeneratorSettings.builder()
                .seed(9).duration(Duration.ofSeconds(20)).rate(5).build()).stream().toList();
        assertThat(traffic).anyMatch(m -> m.type() == MessageType.METRICS);

        Set<String> backlogIds = new HashSet<>();
        for (GeneratedMessage message : traffic) {
            GeneratedMessage renamed = KafkaThroughput.ownMetricsId(message);
            if (message.type() == MessageType.METRICS) {
                assertThat(messageId(renamed)).isEqualTo(messageId(message).replace("msg-metrics-",
                        "msg-metrics-backlog-"));
                assertThat(renamed.json().length()).isEqualTo(message.json().length() + "backlog-".length());
            } else {
                assertThat(renamed).isSameAs(message);
            }
            backlogIds.add(messageId(renamed));
        }
        // without the renaming, another run's metrics messages repeat the first run's ids
        assertThat(paced.stream().map(KafkaThroughputTest::messageId))
                .anyMatch(id -> traffic.stream().map(KafkaThroughputTest::messageId).anyMatch(id::equals))
                .noneMatch(backlogIds::contains);
    }

    private static String messageId(GeneratedMessage message) {
        try {
            return Json.mapper().readTree(message.json()).path("message_id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSawToothAroundALevelIsFlat() {
        List<long[]> lag = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // progress reports every 2 s: the read count jumps, the lag drops back
            lag.add(new long[] {i * 5 * SECOND, 20_000 + (i % 2 == 0 ? 15_000 : 0)});
        }
        assertThat(KafkaThroughput.lagGrowth(lag)).isCloseTo(0, within(300.0));
    }

    @Test
    void aLagThatGrowsIsMeasuredInMessagesPerSecond() {
        List<long[]> lag = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lag.add(new long[] {i * 5 * SECOND, 1_000 + i * 5 * 400});
        }
        assertThat(KafkaThroughput.lagGrowth(lag)).isCloseTo(400, within(1.0));
    }
}
