package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static final Instant NOON = Instant.parse("2025-09-03T12:00:00Z");

    @Test
    void theDefaultsDescribeFourServicesForFiveMinutes() {
        GeneratorSettings defaults = GeneratorSettings.defaults();

        assertThat(defaults.start()).isEqualTo(Instant.parse("2025-09-03T10:00:00Z"));
        assertThat(defaults.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.end()).isEqualTo(Instant.parse("2025-09-03T10:05:00Z"));
        assertThat(defaults.tracesPerSecond()).isEqualTo(20);
        assertThat(defaults.updateInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.metricsInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.faults()).isEmpty();
        assertThat(defaults.services()).extracting(ServiceSpec::name)
                .containsExactly("checkout", "inventory", "catalog", "notification");
        assertThat(defaults.services()).allSatisfy(s -> assertThat(s.operations()).hasSizeBetween(2, 3));
        assertThat(defaults.services().stream().flatMap(s -> s.operations().stream())
                        .map(OperationSpec::medianLatencyMs).distinct().count())
                .as("distinct latencies").isEqualTo(10);
    }

    @Test
    void theBuilderSetsEverythingAndRoundTrips() {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(42)
                .start(NOON.plusNanos(123_456))
                .duration(Duration.ofMinutes(1))
                .rate(7.5)
                .updateInterval(Duration.ofMillis(250))
                .metricsInterval(Duration.ofSeconds(2))
                .baseErrorRate(0)
                .fault("cpu:catalog@+10s/10s")
                .build();

        assertThat(settings.start()).as("cut to milliseconds").isEqualTo(NOON);
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThat(settings.faults()).containsExactly(FaultSpec.parse("cpu:catalog@+10s/10s"));
    }

    @Test
    void badSettingsAreRejectedWithAClearMessage() {
        assertRejected(GeneratorSettings.builder().rate(0), "the rate must be above 0");
        assertRejected(GeneratorSettings.builder().rate(Double.NaN), "the rate must be above 0");
        assertRejected(GeneratorSettings.builder().duration(Duration.ZERO), "the duration must be positive");
        assertRejected(GeneratorSettings.builder().start(null), "the start instant is missing");
        assertRejected(GeneratorSettings.builder().updateInterval(Duration.ofMillis(1)),
                "the update interval must be at least 10ms");
        assertRejected(GeneratorSettings.builder().metricsInterval(Duration.ofMillis(10)),
                "the metrics interval must be at least 100ms");
        assertRejected(GeneratorSettings.builder().baseErrorRate(0.9), "the base error rate must be within 0 and 0.5");
        assertRejected(GeneratorSettings.builder().services(List.of()), "at least one service is needed");
        ServiceSpec twice = ServiceSpec.of("twice", OperationSpec.of("a", 10));
        assertRejected(GeneratorSettings.builder().services(List.of(twice, twice)), "service twice is named twice");
    }

    @Test
    void faultsMustNameAServiceAndOperationThatExistAndStartBeforeTheEnd() {
        assertRejected(GeneratorSettings.builder().fault("latency:payments"),
                "fault latency:payments: no service 'payments'; the services are checkout, inventory, catalog, "
                        + "notification");
        assertRejected(GeneratorSettings.builder().fault("latency:checkout/refund"),
                "service checkout has no operation 'refund'; it has place_order, charge, confirm_order");
        assertRejected(GeneratorSettings.builder().fault("errors:*@+10m/1m"),
                "fault errors:*@+10min/1min starts at +10min, not before the end of the run (+5min); it would do nothing");
    }

    @Test
    void servicesAndOperationsAreChecked() {
        assertThatThrownBy(() -> OperationSpec.of("a/b", 10)).hasMessageContaining("operation name 'a/b'");
        assertThatThrownBy(() -> OperationSpec.of("a", 0)).hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> new OperationSpec("a", 10, 0)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> new ServiceSpec("s", List.of(), 10, 100, 1000))
                .hasMessageContaining("needs at least one operation");
        assertThatThrownBy(() -> ServiceSpec.of("s", OperationSpec.of("a", 10), OperationSpec.of("a", 20)))
                .hasMessageContaining("names operation a twice");
        assertThatThrownBy(() -> new ServiceSpec("s", List.of(OperationSpec.of("a", 10)), 90, 100, 1000))
                .hasMessageContaining("CPU baseline");
        assertThatThrownBy(() -> new ServiceSpec("s", List.of(OperationSpec.of("a", 10)), 30, 900, 1000))
                .hasMessageContaining("below 80 % of the threshold");
        assertThat(OperationSpec.of("a", 100).p95LatencyMs()).isBetween(177.0, 178.0);
    }

    private static void assertRejected(GeneratorSettings.Builder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
