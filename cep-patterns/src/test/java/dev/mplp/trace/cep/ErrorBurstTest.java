package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorBurstTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SERVICE = "payments";
    private static final int ERRORS = 3;
    private static final Duration WITHIN = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, Alert> harness;
    private int spans;

    @BeforeEach
    void open() throws Exception {
        TraceAnalyticsConfig.ErrorBurst burst = new TraceAnalyticsConfig.ErrorBurst(ERRORS, WITHIN);
        harness = CepHarness.of(
                TraceEvent.class, event -> event.serviceName, ErrorBurst.pattern(burst), new ErrorBurst.BurstAlerts(burst));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void errorsEnoughWithinThePeriodMakeOneBurstAboutTheService() throws Exception {
        harness.processElement(failedCompletion(T0).record());
        harness.processElement(errorsReported(T0.plusSeconds(20), 2).record());
        harness.processElement(failedCompletion(T0.plusSeconds(40)).record());
        harness.processWatermark(T0.plusSeconds(41).toEpochMilli());

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(1);
        Alert burst = alerts.get(0);
        assertThat(burst.alertType).isEqualTo("error_burst");
        assertThat(burst.evaluationResult).isEqualTo(AlertState.TRIGGERED);
        assertThat(burst.serviceName).isEqualTo(SERVICE);
        assertThat(burst.actualValue).isEqualTo(3.0);
        assertThat(burst.startedAt).isEqualTo(T0.toEpochMilli());
        assertThat(burst.evaluationTimestamp).isEqualTo(T0.plusSeconds(40).toEpochMilli());
        assertThat(burst.alertId).isEqualTo(Alert.idOf("error_burst", SERVICE, ErrorBurst.RULE_ID, T0.toEpochMilli()));
    }

    @Test
    void theSameErrorsSpreadOverMoreThanThePeriodAreNoBurst() throws Exception {
        harness.processElement(failedCompletion(T0).record());
        harness.processElement(failedCompletion(T0.plusSeconds(40)).record());
        harness.processElement(failedCompletion(T0.plusSeconds(61)).record());
        harness.processWatermark(T0.plusSeconds(200).toEpochMilli());

        assertThat(alerts()).isEmpty();
    }

    @Test
    void successfulMessagesAndMessagesWithoutErrorsAreNoErrorEvents() {
        ErrorBurst.IsErrorEvent isError = new ErrorBurst.IsErrorEvent();

        assertThat(isError.filter(span().completion(T0, m -> {}).event)).isFalse();
        assertThat(isError.filter(span().update(T0, m -> m.errorCount = 0L).event)).isFalse();
        assertThat(isError.filter(errorsReported(T0, 1).event)).isTrue();
        assertThat(isError.filter(failedCompletion(T0).event)).isTrue();
        TraceEvent unknownService = failedCompletion(T0).event;
        unknownService.serviceName = null;
        assertThat(isError.filter(unknownService)).isFalse();
    }

    @Test
    void outOfOrderErrorsWithinTheWatermarkAreCountedInEventTimeOrder() throws Exception {
        harness.processElement(failedCompletion(T0.plusSeconds(40)).record());
        harness.processElement(failedCompletion(T0).record());
        harness.processElement(failedCompletion(T0.plusSeconds(20)).record());
        harness.processWatermark(T0.plusSeconds(41).toEpochMilli());

        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.startedAt).isEqualTo(T0.toEpochMilli()));
    }

    @Test
    void noPatternStateIsLeftOnceMatchesAndStaleErrorsArePast() throws Exception {
        for (int i = 0; i < 7; i++) {
            harness.processElement(failedCompletion(T0.plusSeconds(10L * i)).record());
        }
        harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
        assertThat(alerts()).hasSize(2);

        harness.processWatermark(T0.plus(WITHIN).plusSeconds(120).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private TraceEvents span() {
        return TraceEvents.span(TRACE, String.format("%016x", ++spans)).in(SERVICE, "charge");
    }

    private TraceEvents.Built failedCompletion(Instant at) {
        TraceEvents.Built completion = span().completion(at, m -> {}).failed();
        completion.event.serviceName = SERVICE;
        return completion;
    }

    private TraceEvents.Built errorsReported(Instant at, long errors) {
        TraceEvents.Built update = span().update(at, m -> m.errorCount = errors);
        update.event.serviceName = SERVICE;
        return update;
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }
}
