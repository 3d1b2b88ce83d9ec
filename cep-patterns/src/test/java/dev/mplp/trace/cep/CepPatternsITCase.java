package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.functions.SustainedBreaches;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The patterns' entry points on a MiniCluster, from span messages as {@code SpanSession} passes them on
 * (service and operation on every message) to triggered and resolved incidents.
 */
class CepPatternsITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.defaults();

    private int spans;

    @Test
    void aCpuBreachSustainedForMinutesIsOneIncidentTriggeredThenResolvedAndASpikeElsewhereIsNone() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        TraceEvents busy = span("checkout", "place_order");
        events.add(named(busy.start(T0, limits -> limits.cpuUsagePercent = 80.0), busy));
        for (int i = 1; i <= 20; i++) {
            double cpu = i <= 10 ? 95 : 40;
            events.add(named(busy.metrics(T0.plusSeconds(30L * i), m -> m.cpuUsagePercent = cpu), busy));
        }
        TraceEvents calm = span("search", "query");
        events.add(named(calm.start(T0, limits -> limits.cpuUsagePercent = 80.0), calm));
        for (int i = 1; i <= 20; i++) {
            double cpu = i == 7 ? 99 : 30;
            events.add(named(calm.metrics(T0.plusSeconds(30L * i), m -> m.cpuUsagePercent = cpu), calm));
        }

        List<Alert> alerts = run(events, true, CepPatternsITCase::sustainedBreaches);

        assertThat(alerts)
                .extracting(a -> a.serviceName, a -> a.evaluationResult, a -> a.evaluationTimestamp)
                .containsExactly(
                        tuple("checkout", AlertState.TRIGGERED, T0.plusSeconds(90).toEpochMilli()),
                        tuple("checkout", AlertState.RESOLVED, T0.plusSeconds(30 * 13).toEpochMilli()));
        assertThat(alerts.get(0).alertId).isEqualTo(alerts.get(1).alertId);
        assertThat(alerts.get(0).startedAt).isEqualTo(T0.plusSeconds(30).toEpochMilli());
    }

    @Test
    void spansThatNeverCompleteAreEachOneIncidentAndCompletedOnesNone() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TraceEvents stuck = span("orders", "reserve_stock");
            events.add(named(stuck.start(T0.plusSeconds(i), limits -> limits.durationMs = 1000.0), stuck));
        }
        for (int i = 0; i < 20; i++) {
            TraceEvents fine = span("orders", "reserve_stock");
            events.add(named(fine.start(T0.plusSeconds(i), limits -> limits.durationMs = 1000.0), fine));
            events.add(named(fine.completion(T0.plusSeconds(i).plusMillis(1500), m -> {}), fine));
        }
        TraceEvents late = span("orders", "ship");
        TraceEvent lateStart = named(late.start(T0, limits -> limits.durationMs = 1000.0), late);
        events.add(lateStart);
        events.add(named(late.completion(T0.plus(Duration.ofMinutes(15)), m -> {}), late));

        List<Alert> alerts = run(events, false, CepPatternsITCase::spanSessionAlerts);

        Map<String, List<Alert>> bySpan = alerts.stream().collect(Collectors.groupingBy(a -> a.spanId));
        assertThat(bySpan).hasSize(51);
        assertThat(bySpan.values()).allSatisfy(incident -> {
            assertThat(incident).extracting(a -> a.evaluationResult)
                    .containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED);
            assertThat(incident.get(0).alertId).isEqualTo(incident.get(1).alertId);
        });
        assertThat(bySpan.get(lateStart.spanId))
                .extracting(a -> a.resolution, a -> a.evaluationTimestamp)
                .containsExactly(
                        tuple(null, T0.plusSeconds(2).toEpochMilli()),
                        tuple(AlertResolution.SPAN_COMPLETED, T0.plus(Duration.ofMinutes(15)).toEpochMilli()));
        assertThat(alerts).filteredOn(a -> a.evaluationResult == AlertState.RESOLVED && !a.spanId.equals(
                        lateStart.spanId))
                .extracting(a -> a.resolution)
                .containsOnly(AlertResolution.SPAN_EXPIRED);
    }

    @Test
    void aBurstOfFailuresIsOneIncidentResolvedAfterAQuietPeriod() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TraceEvents failing = span("payments", "charge");
            events.add(named(failing.completion(T0.plusSeconds(5L * i), m -> {}).failed(), failing));
        }
        TraceEvents fine = span("payments", "charge");
        events.add(named(fine.completion(T0.plus(Duration.ofMinutes(10)), m -> {}), fine));

        List<Alert> alerts = run(events, false, ErrorBurst::detect);

        assertThat(alerts)
                .extracting(a -> a.alertType, a -> a.evaluationResult, a -> a.evaluationTimestamp)
                .containsExactly(
                        tuple("error_burst", AlertState.TRIGGERED, T0.plusSeconds(20).toEpochMilli()),
                        tuple("error_burst", AlertState.RESOLVED, T0.plusSeconds(20 + 60).toEpochMilli()));
    }

    @Test
    void theDetectorsThroughTheLifecycleGiveTheSameAlertsOnEveryRun() throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            TraceEvents span = span("inventory", "reserve");
            Instant start = T0.plusSeconds(20L * s);
            events.add(named(span.start(start, limits -> {
                limits.durationMs = 1000.0;
                limits.cpuUsagePercent = 80.0;
            }), span));
            for (int i = 1; i <= 4; i++) {
                double cpu = (s + i) % 3 == 0 ? 50 : 90;
                events.add(named(span.metrics(start.plusSeconds(i), m -> m.cpuUsagePercent = cpu), span));
            }
            if (s % 2 == 0) {
                events.add(named(span.completion(start.plusSeconds(5), m -> {}).failed(), span));
            }
        }
        BiFunction<KeyedStream<TraceEvent, String>, TraceAnalyticsConfig, DataStream<Alert>> everything =
                (bySpan, config) -> {
                    SingleOutputStreamOperator<TraceEvent> session = bySpan.process(new SpanSession(config));
                    return AlertLifecycle.apply(
                            SustainedBreaches.detect(session.getSideOutput(SpanSession.EVALUATIONS), config)
                                    .union(session.getSideOutput(SpanSession.ALERTS),
                                            ErrorBurst.detect(session, config)),
                            config);
                };

        List<Alert> first = run(events, true, everything);
        List<Alert> second = run(events, false, everything);

        assertThat(first).extracting(a -> a.alertType)
                .contains("sustained_breach", "incomplete_span");
        assertThat(first).map(Alert::toString).containsExactlyInAnyOrderElementsOf(second.stream()
                .map(Alert::toString).toList());
        // every incident sent as triggered is resolved under its id by the end of the input, and only those:
        // the sustained breach, whose evaluations simply stop, too
        assertThat(first.stream().filter(a -> a.evaluationResult == AlertState.RESOLVED).map(a -> a.alertId))
                .containsExactlyInAnyOrderElementsOf(first.stream()
                        .filter(a -> a.evaluationResult == AlertState.TRIGGERED)
                        .map(a -> a.alertId)
                        .toList());
    }

    @Test
    void aLatencyCreepOfAnOperationNoLongerCalledEndsAnIdleTimeoutAfterItWasLastSeen() throws Exception {
        List<ServiceWindow> windows = new ArrayList<>();
        for (int minute = 0; minute < 4; minute++) {
            windows.add(operationWindow(minute, 130)); // above the band (120), short of a degradation (150)
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<ServiceWindow> stream = env.fromData(windows, TypeInformation.of(ServiceWindow.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ServiceWindow>forMonotonousTimestamps()
                        .withTimestampAssigner((window, previous) -> window.windowEnd - 1));
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> results = DegradationTrend.detect(stream, CONFIG).executeAndCollect()) {
            results.forEachRemaining(alerts::add);
        }

        Duration idle = CONFIG.detection().baseline().idleTimeout();
        long lastSeen = T0.plus(Duration.ofMinutes(3)).toEpochMilli();
        assertThat(alerts)
                .extracting(a -> a.evaluationResult, a -> a.resolution, a -> a.evaluationTimestamp)
                .containsExactly(
                        tuple(AlertState.TRIGGERED, null, lastSeen),
                        tuple(AlertState.RESOLVED, AlertResolution.IDLE_EXPIRED, lastSeen + idle.toMillis()));
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).alertMessage).endsWith("ended: no latency creep for 1h");
    }

    private static ServiceWindow operationWindow(int minute, double latencyP95Ms) {
        ServiceWindow window = new ServiceWindow();
        window.kind = ServiceWindow.KIND_OPERATION;
        window.serviceName = "checkout";
        window.operationName = "place_order";
        window.windowStart = T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
        window.windowEnd = window.windowStart + Duration.ofMinutes(1).toMillis();
        window.spanCount = 100;
        window.latencyP95Ms = latencyP95Ms;
        window.baselineLatencyP95Ms = 100.0;
        return window;
    }

    /** {@code sustained_breach} over the span sessions' evaluations. */
    private static DataStream<Alert> sustainedBreaches(
            KeyedStream<TraceEvent, String> bySpan, TraceAnalyticsConfig config) {
        return SustainedBreaches.detect(
                bySpan.process(new SpanSession(config)).getSideOutput(SpanSession.EVALUATIONS), config);
    }

    /** The incidents of the span session (incomplete spans) beside the patterns. */
    private static DataStream<Alert> spanSessionAlerts(
            KeyedStream<TraceEvent, String> bySpan, TraceAnalyticsConfig config) {
        return bySpan.process(new SpanSession(config)).getSideOutput(SpanSession.ALERTS);
    }

    private TraceEvents span(String service, String operation) {
        spans++;
        return TraceEvents.span(String.format("%032x", 1000 + spans), String.format("%016x", spans))
                .in(service, operation);
    }

    /** As SpanSession passes a message on: with its span's service and operation. */
    private static TraceEvent named(TraceEvents.Built built, TraceEvents span) {
        TraceEvent start = span.start(T0).event;
        built.event.serviceName = start.serviceName;
        built.event.operationName = start.operationName;
        return built.event;
    }

    /** Swaps neighbours in event-time order, so that messages arrive out of order by less than the bound. */
    private static List<TraceEvent> shuffleWithinBound(List<TraceEvent> events) {
        List<TraceEvent> shuffled = new ArrayList<>(events);
        for (int i = 0; i + 1 < shuffled.size(); i += 2) {
            TraceEvent a = shuffled.get(i);
            TraceEvent b = shuffled.get(i + 1);
            if (Math.abs(a.eventTime - b.eventTime) < OUT_OF_ORDERNESS.toMillis()) {
                shuffled.set(i, b);
                shuffled.set(i + 1, a);
            }
        }
        return shuffled;
    }

    /**
     * Runs {@code detect} over the events in event-time order (or shuffled within the watermark's bound): in any
     * other order a message could fall behind the watermark and be left out, as late messages are.
     */
    private static List<Alert> run(
            List<TraceEvent> events,
            boolean shuffled,
            BiFunction<KeyedStream<TraceEvent, String>, TraceAnalyticsConfig, DataStream<Alert>> detect)
            throws Exception {
        List<TraceEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(event -> event.eventTime));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<TraceEvent> sequenced = env.fromData(
                        shuffled ? shuffleWithinBound(ordered) : ordered, TypeInformation.of(TraceEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TraceEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                        .withTimestampAssigner((event, previous) -> event.eventTime));
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> results =
                detect.apply(sequenced.keyBy(SpanSession::key), CONFIG).executeAndCollect()) {
            results.forEachRemaining(alerts::add);
        }
        alerts.sort(Comparator.comparingLong((Alert a) -> a.evaluationTimestamp)
                .thenComparing(a -> a.evaluationResult));
        return alerts;
    }
}
