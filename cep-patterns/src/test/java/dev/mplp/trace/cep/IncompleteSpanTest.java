package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncompleteSpanTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final Instant STARTED = Instant.parse("2025-09-03T10:00:00Z");
    /** The trace's own duration limit; with the factor 2 its spans time out after 2 s. */
    private static final double OWN_LIMIT_MS = 1000;
    private static final long OWN_TIMEOUT_MS = 2000;
    private static final long MAX_TIMEOUT_MS = 10_000;

    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of(
            "patterns.incomplete-span.timeout-factor", "2",
            "patterns.incomplete-span.max-timeout", "10s"));

    private final TraceEvents span = TraceEvents.span(TRACE, SPAN).in("checkout", "place_order");
    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = CepHarness.of(
                TraceEvent.class,
                SpanSession::key,
                IncompleteSpan.pattern(CONFIG.patterns().incompleteSpan()),
                new IncompleteSpan.IncompleteSpanAlerts(CONFIG));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aCompletionJustBeforeTheSpansOwnTimeoutIsNoIncident() throws Exception {
        harness.processElement(start().record());
        harness.processElement(completion(OWN_TIMEOUT_MS - 100).record());
        harness.processWatermark(STARTED.toEpochMilli() + 2 * MAX_TIMEOUT_MS);

        assertThat(triggered()).isEmpty();
        assertThat(timedOut()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aCompletionJustAfterTheSpansOwnTimeoutReportsTheSpanIncompleteFromItsTimeout() throws Exception {
        harness.processElement(start().record());
        harness.processElement(completion(OWN_TIMEOUT_MS + 100).record());
        harness.processWatermark(STARTED.toEpochMilli() + 2 * MAX_TIMEOUT_MS);

        assertThat(triggered()).singleElement().satisfies(alert -> {
            assertThat(alert.alertType).isEqualTo("incomplete_span");
            assertThat(alert.evaluationResult).isEqualTo(AlertState.TRIGGERED);
            assertThat(alert.traceId).isEqualTo(TRACE);
            assertThat(alert.spanId).isEqualTo(SPAN);
            assertThat(alert.evaluationTimestamp).isEqualTo(STARTED.toEpochMilli() + OWN_TIMEOUT_MS);
            assertThat(alert.thresholdValue).isEqualTo((double) OWN_TIMEOUT_MS);
        });
        assertThat(timedOut()).isEmpty();
    }

    @Test
    void aSpanThatNeverCompletesTimesOutAtTheMaximumAndItsStateIsCleared() throws Exception {
        harness.processElement(start().record());
        harness.processWatermark(STARTED.toEpochMilli() + MAX_TIMEOUT_MS - 1);
        assertThat(timedOut()).isEmpty();

        harness.processWatermark(STARTED.toEpochMilli() + MAX_TIMEOUT_MS);

        assertThat(timedOut()).singleElement().satisfies(alert -> {
            assertThat(alert.spanId).isEqualTo(SPAN);
            assertThat(alert.startedAt).isEqualTo(STARTED.toEpochMilli() + OWN_TIMEOUT_MS);
            assertThat(alert.alertId)
                    .isEqualTo(Alert.idOf("incomplete_span", TRACE + "/" + SPAN, IncompleteSpan.RULE_ID,
                            STARTED.toEpochMilli() + OWN_TIMEOUT_MS));
        });
        assertThat(triggered()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCompletionArrivingBeforeItsStartWithinTheWatermarkStillCompletesIt() throws Exception {
        harness.processElement(completion(OWN_TIMEOUT_MS - 100).record());
        harness.processElement(start().record());
        harness.processWatermark(STARTED.toEpochMilli() + 2 * MAX_TIMEOUT_MS);

        assertThat(triggered()).isEmpty();
        assertThat(timedOut()).isEmpty();
    }

    @Test
    void aTraceWithoutItsOwnLimitUsesTheDefaultTimesTheFactorCappedByTheMaximum() {
        TraceEvent withoutLimit = span.start(STARTED).event;
        TraceEvent ownLimit = start().event;

        assertThat(IncompleteSpan.timeoutMillis(ownLimit, CONFIG)).isEqualTo(OWN_TIMEOUT_MS);
        // default duration-ms 10000 x 2 = 20 s, above the 10 s maximum
        assertThat(IncompleteSpan.timeoutMillis(withoutLimit, CONFIG)).isEqualTo(MAX_TIMEOUT_MS);
    }

    private TraceEvents.Built start() {
        return span.start(STARTED, limits -> limits.durationMs = OWN_LIMIT_MS);
    }

    private TraceEvents.Built completion(long afterStartMs) {
        return span.completion(STARTED.plusMillis(afterStartMs), m -> m.durationMs = (double) afterStartMs);
    }

    private List<Alert> triggered() {
        return harness.extractOutputValues();
    }

    private List<Alert> timedOut() {
        var records = harness.getSideOutput(IncompleteSpan.TIMED_OUT);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
