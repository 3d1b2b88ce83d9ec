package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.junit.jupiter.api.Test;

class ResourceWindowAggregateTest {

    private static final String SERVICE = "mplp-workflow-service";
    private static final Instant WINDOW_START = Instant.parse("2025-09-03T10:00:00Z");
    private static final TimeWindow WINDOW =
            new TimeWindow(WINDOW_START.toEpochMilli(), WINDOW_START.plusSeconds(60).toEpochMilli());

    private final ResourceWindowAggregate aggregate = new ResourceWindowAggregate();

    @Test
    void averagesAndMaximaAreOverTheSamplesThatReportedEach() {
        ServiceWindow summary = summarize(List.of(metrics(40.0, 512.0), metrics(60.0, null), metrics(null, 1024.0),
                metrics(20.0, 768.0)));

        assertThat(summary.kind).isEqualTo(ServiceWindow.KIND_RESOURCE);
        assertThat(summary.serviceName).isEqualTo(SERVICE);
        assertThat(summary.operationName).isNull();
        assertThat(summary.windowStart).isEqualTo(WINDOW.getStart());
        assertThat(summary.windowEnd).isEqualTo(WINDOW.getEnd());
        assertThat(summary.metricsSamples).isEqualTo(4);
        assertThat(summary.cpuUsagePercentAvg).isCloseTo((40.0 + 60.0 + 20.0) / 3, within(1e-12));
        assertThat(summary.cpuUsagePercentMax).isEqualTo(60.0);
        assertThat(summary.memoryUsageMbAvg).isCloseTo((512.0 + 1024.0 + 768.0) / 3, within(1e-12));
        assertThat(summary.memoryUsageMbMax).isEqualTo(1024.0);
        assertThat(summary.spanCount).isZero();
        assertThat(summary.latencyP95Ms).isNull();
    }

    @Test
    void aValueNoSampleReportedIsNull() {
        ServiceWindow summary = summarize(List.of(metrics(35.5, null)));

        assertThat(summary.cpuUsagePercentAvg).isEqualTo(35.5);
        assertThat(summary.memoryUsageMbAvg).isNull();
        assertThat(summary.memoryUsageMbMax).isNull();
    }

    @Test
    void mergingTwoAccumulatorsEqualsAddingEverySampleToOne() {
        ResourceWindowAggregate.Accumulator a = aggregate.createAccumulator();
        aggregate.add(metrics(10.0, null), a);
        aggregate.add(metrics(90.0, 100.0), a);
        ResourceWindowAggregate.Accumulator b = aggregate.createAccumulator();
        aggregate.add(metrics(null, 300.0), b);

        ServiceWindow merged = ResourceWindowSummary.summarize(SERVICE, aggregate.merge(a, b), WINDOW);

        assertThat(merged).isEqualTo(summarize(List.of(metrics(10.0, null), metrics(90.0, 100.0), metrics(null, 300.0))));
    }

    @Test
    void theAverageDoesNotDependOnTheOrderOfTheSamples() {
        List<TraceEvent> samples = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 200; i++) {
            samples.add(metrics(100 * random.nextDouble(), 1e6 * random.nextDouble()));
        }
        ServiceWindow inOrder = summarize(samples);
        for (int shuffle = 0; shuffle < 5; shuffle++) {
            java.util.Collections.shuffle(samples, random);

            assertThat(summarize(samples)).isEqualTo(inOrder);
        }
    }

    @Test
    void theAccumulatorSerializesAsAPojoWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(ResourceWindowAggregate.Accumulator.class);
    }

    private ServiceWindow summarize(List<TraceEvent> events) {
        ResourceWindowAggregate.Accumulator acc = aggregate.createAccumulator();
        for (TraceEvent event : events) {
            acc = aggregate.add(event, acc);
        }
        return ResourceWindowSummary.summarize(SERVICE, aggregate.getResult(acc), WINDOW);
    }

    private static TraceEvent metrics(Double cpu, Double memory) {
        TraceEvent event = new TraceEvent();
        event.messageType = MessageType.METRICS;
        event.serviceName = SERVICE;
        event.eventTime = WINDOW.getStart() + 1000;
        event.measurements = new Measurements();
        event.measurements.cpuUsagePercent = cpu;
        event.measurements.memoryUsageMb = memory;
        return event;
    }
}
