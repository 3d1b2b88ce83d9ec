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
    void theFastestSteadyStateThatHeldCounts() {
        KafkaThroughput.Steady held = steady(10_000, 0);
        KafkaThroughput.Steady heldFaster = steady(11_250, 0);
        KafkaThroughput.Steady grew = steady(11_250, 900);
        KafkaThroughput.Steady grewLower = steady(8_500, 300);

        assertThat(result(held, heldFaster).counted()).isSameAs(heldFaster);
        assertThat(result(held, steady(11_250, 9_800, 0)).counted())
                .as("flat at a higher pace, but less reached the topic (the producer shares the cores)")
                .isSameAs(held);
        assertThat(result(held, grew).counted()).isSameAs(held);
        assertThat(result(grew, held).counted()).isSameAs(held);
        assertThat(result(grew, grewLower).counted()).as("none held: the last, the step down").isSameAs(grewLower);
        assertThat(result(held).counted()).isSameAs(held);
    }

    @Test
    void theRowSaysWhichWayTheRateSteppedAndWhichItsFiguresAre() {
        assertThat(Benchmark.stepped(result(steady(10_000, 0)))).isEmpty();
        assertThat(Benchmark.stepped(result(steady(10_000, 0), steady(11_250, 0))))
                .contains("**stepped up once** to 11,250 msg/s (11,250 sent), held too: this row's figures")
                .contains("the first held 10,000 msg/s");
        assertThat(Benchmark.stepped(result(steady(10_000, 0), steady(11_250, 900))))
                .contains("held there (this row's figures), then stepped up once to 11,250 msg/s: 11,250 sent, "
                        + "11,250 read, the lag grew 900 msg/s");
        assertThat(Benchmark.stepped(result(steady(10_000, 0), steady(11_250, 9_800, 0))))
                .contains("held there (this row's figures), then stepped up once to 11,250 msg/s: 9,800 sent");
        assertThat(Benchmark.stepped(result(steady(10_000, 900), steady(8_500, 0))))
                .contains("**stepped down once** from 10,000 msg/s, where the lag grew 900 msg/s");
    }

    /** A steady state at {@code rate} whose lag grew {@code growth} msg/s, its checkpoints completing. */
    private static KafkaThroughput.Steady steady(double rate, double growth) {
        return steady(rate, rate, growth);
    }

    /** The same, paced at {@code target} of which {@code sent} msg/s reached the topic and were read. */
    private static KafkaThroughput.Steady steady(double target, double sent, double growth) {
        return new KafkaThroughput.Steady(target, 1, sent, sent, (long) sent * 300, 300, List.of(), growth,
                new EmbeddedRest.Checkpoints(0, 0, 0, 0), new EmbeddedRest.Checkpoints(30, 0, 1_000, 1_000_000),
                java.util.Map.of(), 300, 30, Duration.ofMinutes(2), Duration.ofMinutes(7));
    }

    private static KafkaThroughput.Result result(KafkaThroughput.Steady... steady) {
        return new KafkaThroughput.Result(600_000, 15_000, 0.1, 2.5, 4_000, java.time.Instant.EPOCH,
                List.of(steady));
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
