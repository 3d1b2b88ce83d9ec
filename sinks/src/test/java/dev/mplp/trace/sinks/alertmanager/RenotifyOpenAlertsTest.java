package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RenotifyOpenAlertsTest {

    private static final Duration RESEND = Duration.ofMinutes(1);
    private static final Instant STARTED = Instant.parse("2025-09-03T10:02:25Z");
    private static final Instant RESOLVED = Instant.parse("2025-09-03T10:05:00Z");
    private static final long CLOCK = 1_000_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RenotifyOpenAlerts(RESEND)), RenotifyOpenAlerts::key, Types.STRING);
        harness.open();
        harness.setProcessingTime(CLOCK);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void sendsAnOpenIncidentAgainEveryResendIntervalUntilItIsResolvedThenForgetsIt() throws Exception {
        Alert triggered = TestAlerts.triggered("id-1", Severity.CRITICAL, STARTED);

        harness.processElement(new StreamRecord<>(triggered));
        harness.setProcessingTime(CLOCK + RESEND.toMillis());
        harness.setProcessingTime(CLOCK + 2 * RESEND.toMillis());
        harness.processElement(new StreamRecord<>(TestAlerts.resolved(triggered, RESOLVED)));
        harness.setProcessingTime(CLOCK + 5 * RESEND.toMillis());

        assertThat(harness.extractOutputValues())
                .extracting(alert -> alert.evaluationResult)
                .containsExactly(AlertState.TRIGGERED, AlertState.TRIGGERED, AlertState.TRIGGERED, AlertState.RESOLVED);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void resolvesWithTheLabelsItFiredWithSoThatAlertmanagerEndsTheSameAlert() throws Exception {
        Alert triggered = TestAlerts.triggered("id-1", Severity.CRITICAL, STARTED);
        Alert resolution = TestAlerts.resolved(triggered, RESOLVED);
        resolution.severity = Severity.WARNING;

        harness.processElement(new StreamRecord<>(triggered));
        harness.processElement(new StreamRecord<>(resolution));

        Alert sent = harness.extractOutputValues().get(1);
        assertThat(sent.evaluationResult).isEqualTo(AlertState.RESOLVED);
        assertThat(sent.severity).isEqualTo(Severity.CRITICAL);
        assertThat(sent.evaluationTimestamp).isEqualTo(RESOLVED.toEpochMilli());
    }

    @Test
    void passesAResolutionWithoutAnOpenIncidentOnAsItIsAndKeepsNothing() throws Exception {
        Alert resolution = TestAlerts.resolved(TestAlerts.triggered("id-2", Severity.WARNING, STARTED), RESOLVED);

        harness.processElement(new StreamRecord<>(resolution));

        assertThat(harness.extractOutputValues()).containsExactly(resolution);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aRepeatedTriggerKeepsOneResendSchedule() throws Exception {
        Alert triggered = TestAlerts.triggered("id-1", Severity.CRITICAL, STARTED);

        harness.processElement(new StreamRecord<>(triggered));
        harness.processElement(new StreamRecord<>(triggered.copy()));

        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }
}
