package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.ProtocolSamples;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The protocol's four sample messages are accepted, with the values they carry. */
class SampleMessagesTest {

    private static final long INGEST_TIME = 1_756_900_000_000L;
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final MessageValidator validator = new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"));

    private TraceEvent accept(String file) {
        Validated validated = validator.validate(ProtocolSamples.raw(file, INGEST_TIME));
        assertThat(validated.deadLetter()).as(file).isNull();
        assertThat(validated.isAccepted()).isTrue();
        TraceEvent event = validated.event();
        assertThat(event.payloadText()).as("verbatim original text").isEqualTo(ProtocolSamples.text(file));
        assertThat(event.sourcePosition).isEqualTo("file:protocol-samples/" + file + ":1");
        assertThat(event.ingestTime).isEqualTo(INGEST_TIME);
        assertThat(event.protocolVersion).isEqualTo("1.0.0-alpha");
        assertThat(event.correlationId).isEqualTo("corr-001");
        assertThat(event.traceId).isEqualTo(TRACE_ID);
        assertThat(event.spanId).isEqualTo(SPAN_ID);
        assertThat(event.measurements).isNotNull();
        return event;
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void start() {
        TraceEvent event = accept(ProtocolSamples.START);

        assertThat(event.messageType).isEqualTo(MessageType.START);
        assertThat(event.messageId).isEqualTo("msg-trace-001");
        assertThat(event.eventTime).isEqualTo(millis("2025-09-03T10:00:00Z"));
        assertThat(event.senderId).isEqualTo("workflow-service-001");
        assertThat(event.parentSpanId).isNull();
        assertThat(event.serviceName).isEqualTo("mplp-workflow-service");
        assertThat(event.operationName).isEqualTo("workflow_execution");
        assertThat(event.spanKind).isEqualTo("server");
        assertThat(event.status).isNull();
        assertThat(event.statusCode).isNull();
        assertThat(event.success).isNull();

        Thresholds thresholds = event.thresholds;
        assertThat(thresholds.durationMs).isEqualTo(10000.0);
        assertThat(thresholds.cpuUsagePercent).isEqualTo(80.0);
        assertThat(thresholds.memoryUsageMb).isEqualTo(2048.0);
        assertThat(thresholds.errorRatePercent).isEqualTo(5.0);
        assertThat(thresholds.maxLatencyP95Ms).isEqualTo(2000.0);
        assertThat(thresholds.minThroughputOpsPerSec).isEqualTo(100.0);
        assertThat(thresholds.maxErrorRatePercent).isEqualTo(1.0);
        assertThat(event.measurements).isEqualTo(new Measurements());
    }

    @Test
    void update() {
        TraceEvent event = accept(ProtocolSamples.UPDATE);

        assertThat(event.messageType).isEqualTo(MessageType.UPDATE);
        assertThat(event.messageId).isEqualTo("msg-trace-002");
        assertThat(event.eventTime).isEqualTo(millis("2025-09-03T10:02:30Z"));
        assertThat(event.status).isEqualTo("running");
        assertThat(event.thresholds).isNull();
        assertThat(event.serviceName).isNull();

        Measurements m = event.measurements;
        assertThat(m.durationMs).isEqualTo(2500.0);
        assertThat(m.cpuUsagePercent).isEqualTo(58.7);
        assertThat(m.memoryUsageMb).isEqualTo(512.0);
        assertThat(m.errorRatePercent).isEqualTo(0.8);
        assertThat(m.latencyP95Ms).isEqualTo(1750.0);
        assertThat(m.throughputOpsPerSec).isEqualTo(185.0);
        assertThat(m.errorCount).as("an info and a warn log, no error").isZero();
        assertThat(m.operationCount).isNull();
    }

    @Test
    void completion() {
        TraceEvent event = accept(ProtocolSamples.COMPLETE);

        assertThat(event.messageType).isEqualTo(MessageType.COMPLETE);
        assertThat(event.messageId).isEqualTo("msg-trace-003");
        assertThat(event.eventTime).isEqualTo(millis("2025-09-03T10:05:45Z"));
        assertThat(event.status).isEqualTo("completed");
        assertThat(event.statusCode).isEqualTo("ok");
        assertThat(event.success).isTrue();
        assertThat(event.thresholds).isNull();

        Measurements m = event.measurements;
        assertThat(m.durationMs).isEqualTo(5450.0);
        assertThat(m.cpuUsagePercent).isEqualTo(72.3);
        assertThat(m.memoryUsageMb).isEqualTo(768.0);
        assertThat(m.latencyP95Ms).isEqualTo(1650.0);
        assertThat(m.throughputOpsPerSec).isEqualTo(172.0);
        assertThat(m.errorCount).isEqualTo(12L);
        assertThat(m.operationCount).isEqualTo(1567L);
        assertThat(m.errorRatePercent).isCloseTo(12 * 100.0 / 1567, within(1e-9));
    }

    @Test
    void metrics() {
        TraceEvent event = accept(ProtocolSamples.METRICS);

        assertThat(event.messageType).isEqualTo(MessageType.METRICS);
        assertThat(event.messageId).isEqualTo("msg-metrics-001");
        assertThat(event.eventTime).isEqualTo(millis("2025-09-03T10:03:00Z"));
        assertThat(event.senderId).isEqualTo("metrics-collector-001");
        assertThat(event.status).isNull();
        assertThat(event.thresholds).isNull();

        Measurements m = event.measurements;
        assertThat(m.cpuUsagePercent).isEqualTo(58.7);
        assertThat(m.memoryUsageMb).as("1073741824 bytes").isEqualTo(1024.0);
        assertThat(m.errorRatePercent).isEqualTo(0.8);
        assertThat(m.latencyP95Ms).isEqualTo(1750.0);
        assertThat(m.throughputOpsPerSec).isEqualTo(185.0);
        assertThat(m.durationMs).isNull();
        assertThat(m.errorCount).isNull();
        assertThat(m.operationCount).isNull();
    }
}
