package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.SideOutputs;
import dev.mplp.trace.testing.SpanSessionHarness;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every incident that opens on a span is resolved when the span completes, recovers or expires: the span session's
 * incidents through the alert lifecycle (keyed by names as well as ids), down to no incident left open there.
 */
class SpanIncidentsResolveTest {

    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.defaults();
    private static final Instant MEASURED = Instant.parse("2025-09-03T10:00:00Z");
    /** The span's start, stamped 300 ms after its first metrics and arriving only once those were released. */
    private static final Instant STARTED = MEASURED.plusMillis(300);
    private static final Instant COMPLETED = STARTED.plusSeconds(5);

    private final TraceEvents span =
            TraceEvents.span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7").in("checkout", "charge");

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> session;
    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> lifecycle;

    @BeforeEach
    void setUp() throws Exception {
        session = SpanSessionHarness.open(new SpanSession(CONFIG));
        lifecycle = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertLifecycle(CONFIG.lifecycle()), AlertLifecycle::subjectOf, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        lifecycle.close();
    }

    @Test
    void anIncidentOpenedBeforeTheSpansNamesWereKnownIsResolvedWhenTheSpanCompletes() throws Exception {
        send(span.metrics(MEASURED, m -> m.cpuUsagePercent = 95.0).event);
        send(span.start(STARTED).event);
        send(span.completion(COMPLETED, m -> {}).event);

        List<Alert> detected = detected();
        assertThat(detected).extracting(a -> a.evaluationResult + " " + a.serviceName + " " + a.resolution)
                .as("opened unnamed (the start unseen), resolved by the completion under the same names")
                .containsExactly("TRIGGERED null null", "RESOLVED null " + AlertResolution.SPAN_COMPLETED);
        assertNoIncidentLeftOpen(detected);
    }

    @Test
    void everyIncidentOfASpanThatNeverCompletesIsResolvedWhenItExpires() throws Exception {
        send(span.start(STARTED).event);
        send(span.update(COMPLETED, m -> {
            m.cpuUsagePercent = 95.0;
            m.latencyP95Ms = 99_999.0;
        }).event);
        session.processWatermark(COMPLETED.plus(CONFIG.detection().span().inactivityTimeout())
                .plus(Duration.ofHours(1)).toEpochMilli());

        List<Alert> detected = detected();
        assertThat(detected).extracting(a -> a.alertType).contains("threshold_breach", "incomplete_span");
        assertThat(detected).filteredOn(a -> a.evaluationResult == AlertState.RESOLVED)
                .extracting(a -> a.resolution).containsOnly(AlertResolution.SPAN_EXPIRED);
        assertNoIncidentLeftOpen(detected);
        assertThat(session.numKeyedStateEntries()).isZero();
        assertThat(session.numEventTimeTimers()).isZero();
    }

    private void send(TraceEvent event) throws Exception {
        SpanSessionHarness.sendAndRelease(session, event);
    }

    private List<Alert> detected() {
        return SideOutputs.of(session, SpanSession.ALERTS);
    }

    /** Through the alert lifecycle, every incident sent as triggered is sent as resolved, and nothing is held. */
    private void assertNoIncidentLeftOpen(List<Alert> detected) throws Exception {
        for (Alert alert : detected) {
            lifecycle.processElement(new StreamRecord<>(alert, alert.evaluationTimestamp));
        }
        lifecycle.processWatermark(Long.MAX_VALUE);
        List<Alert> sent = lifecycle.extractOutputValues();
        Map<String, List<AlertState>> byIncident = sent.stream().collect(Collectors.groupingBy(
                a -> a.alertId, Collectors.mapping(a -> a.evaluationResult, Collectors.toList())));
        assertThat(byIncident).isNotEmpty().allSatisfy((id, results) ->
                assertThat(results).as("incident %s", id).containsExactly(AlertState.TRIGGERED, AlertState.RESOLVED));
        assertThat(lifecycle.numKeyedStateEntries()).as("nothing open or held in the lifecycle").isZero();
    }
}
