package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.MiniClusters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The window summaries and the degradation detector wired as the pipeline wires them, on a MiniCluster with
 * parallelism 2: the real window operator, watermarks and timers. (Without {@link EmptyOperationWindows} in between:
 * every operation here has spans in every window.)
 */
class WindowSummariesITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final TraceAnalyticsConfig.Detection DETECTION = ConfigLoader.load(
                    null,
                    Map.of(
                            "detection.windows.size", "1m",
                            "detection.baseline.warm-up-windows", "5",
                            "detection.baseline.min-span-count", "10"))
            .detection();
    private static final Duration WINDOW = DETECTION.windows().size();

    private static final Instant FIRST = Instant.parse("2025-09-03T10:00:00Z");
    private static final int WINDOWS = 40;
    private static final int SPANS_PER_WINDOW = 30;
    private static final int FAULT_FROM = 20;
    private static final int FAULT_UNTIL = 25;
    private static final String SERVICE = "shop";
    private static final String SLOW = "checkout";
    private static final List<String> OPERATIONS = List.of(SLOW, "cart", "search");

    @Test
    void aDoubledLatencyOnOneOperationIsOneIncidentAndTheOthersStayQuiet() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<CompletedSpan> spans = env.fromData(spans())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<CompletedSpan>forMonotonousTimestamps()
                        .withTimestampAssigner((span, previous) -> span.endTime));

        SingleOutputStreamOperator<ServiceWindow> windows = spans.filter(WindowInputFilter.completedSpans())
                .keyBy(RedWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(DETECTION.windows().size()))
                .aggregate(new RedWindowAggregate(), new RedWindowSummary())
                .keyBy(DegradationDetector::key)
                .process(new DegradationDetector(DETECTION));
        CloseableIterator<ServiceWindow> windowResults = windows.collectAsync();
        CloseableIterator<Alert> alertResults = windows.getSideOutput(DegradationDetector.ALERTS).collectAsync();
        env.execute("window summaries");

        List<ServiceWindow> summaries = drain(windowResults);
        List<Alert> alerts = drain(alertResults);
        assertThat(summaries).hasSize(OPERATIONS.size() * WINDOWS)
                .allSatisfy(w -> assertThat(w.spanCount).isEqualTo(SPANS_PER_WINDOW));
        assertThat(summaries).filteredOn(w -> w.windowStart >= start(FAULT_FROM))
                .allSatisfy(w -> assertThat(w.baselineLatencyP95Ms).isNotNull());
        alerts.sort(Comparator.comparingLong(a -> a.evaluationTimestamp));
        assertThat(alerts).extracting(a -> a.operationName, a -> a.metric, a -> a.evaluationResult, a -> a.windowStart)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SLOW, "latency_p95_ms", AlertState.TRIGGERED,
                                start(FAULT_FROM + DETECTION.baseline().minDegradedWindows() - 1)),
                        org.assertj.core.groups.Tuple.tuple(SLOW, "latency_p95_ms", AlertState.RESOLVED,
                                start(FAULT_UNTIL)));
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).resolution).isEqualTo(AlertResolution.WITHIN_BASELINE);
    }

    @Test
    void resourceSummariesPerServiceAndWindow() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(metrics("db", start(0) + 1000 * i, 10.0 * (i + 1), 100.0 * (i + 1)));
        }
        events.add(metrics("db", start(1) + 500, 70.0, 50.0));
        events.add(metrics(null, start(1) + 600, 99.0, 99.0));
        events.sort(Comparator.comparingLong(e -> e.eventTime));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        List<ServiceWindow> summaries = drain(env.fromData(events)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((event, previous) -> event.eventTime))
                .filter(WindowInputFilter.metricsSamples())
                .keyBy(ResourceWindowAggregate::key)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .aggregate(new ResourceWindowAggregate(), new ResourceWindowSummary())
                .executeAndCollect());

        summaries.sort(Comparator.comparingLong(w -> w.windowStart));
        assertThat(summaries).extracting(w -> w.serviceName, w -> w.windowStart, w -> w.metricsSamples,
                        w -> w.cpuUsagePercentAvg, w -> w.memoryUsageMbMax)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("db", start(0), 3L, 20.0, 300.0),
                        org.assertj.core.groups.Tuple.tuple("db", start(1), 1L, 70.0, 50.0));
    }

    /** Every operation: SPANS_PER_WINDOW spans a window, ±10 % noise; SLOW twice as slow in the fault windows. */
    private static List<CompletedSpan> spans() {
        Random random = new Random(3);
        List<CompletedSpan> spans = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            for (String operation : OPERATIONS) {
                boolean slow = operation.equals(SLOW) && w >= FAULT_FROM && w < FAULT_UNTIL;
                for (int s = 0; s < SPANS_PER_WINDOW; s++) {
                    CompletedSpan span = new CompletedSpan();
                    span.serviceName = SERVICE;
                    span.operationName = operation;
                    span.durationMs = (slow ? 200 : 100) * (0.9 + 0.2 * random.nextDouble());
                    span.endTime = start(w) + random.nextInt((int) WINDOW.toMillis());
                    span.startTime = span.endTime - (long) span.durationMs;
                    span.error = s == 0;
                    spans.add(span);
                }
            }
        }
        spans.sort(Comparator.comparingLong(span -> span.endTime));
        return spans;
    }

    private static TraceEvent metrics(String service, long at, double cpu, double memory) {
        TraceEvent event = new TraceEvent();
        event.messageType = MessageType.METRICS;
        event.serviceName = service;
        event.eventTime = at;
        event.measurements = new Measurements();
        event.measurements.cpuUsagePercent = cpu;
        event.measurements.memoryUsageMb = memory;
        return event;
    }

    private static long start(int window) {
        return FIRST.plus(WINDOW.multipliedBy(window)).toEpochMilli();
    }

    private static <T> List<T> drain(CloseableIterator<T> results) throws Exception {
        List<T> all = new ArrayList<>();
        try (results) {
            results.forEachRemaining(all::add);
        }
        return all;
    }
}
