package dev.mplp.trace.ingest;

import static dev.mplp.trace.testing.ProtocolMessages.completion;
import static dev.mplp.trace.testing.ProtocolMessages.log;
import static dev.mplp.trace.testing.ProtocolMessages.metrics;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static dev.mplp.trace.testing.ProtocolMessages.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.json.Json;
import dev.mplp.trace.protocol.TraceMessage;
import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.ProtocolMessages;
import dev.mplp.trace.testing.ProtocolMessages.Message;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceEventExtractorTest {

    private static TraceEvent extract(Message message) throws Exception {
        String json = message.json();
        return TraceEventExtractor.extract(
                Json.mapper().readValue(json, TraceMessage.class),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test:1", 99L, true);
    }

    @Test
    void envelopeFields() throws Exception {
        Message message = update().messageId("msg-42").senderId("svc-7").at(Instant.parse("2025-09-03T11:00:00.250Z"));

        TraceEvent event = extract(message);

        assertThat(event.messageId).isEqualTo("msg-42");
        assertThat(event.senderId).isEqualTo("svc-7");
        assertThat(event.correlationId).isEqualTo(ProtocolMessages.CORRELATION_ID);
        assertThat(event.protocolVersion).isEqualTo(ProtocolMessages.PROTOCOL_VERSION);
        assertThat(event.eventTime).isEqualTo(Instant.parse("2025-09-03T11:00:00.250Z").toEpochMilli());
        assertThat(event.sourcePosition).isEqualTo("test:1");
        assertThat(event.ingestTime).isEqualTo(99L);
        assertThat(event.payloadText()).isEqualTo(message.json());
    }

    @Test
    void theEnvelopeTimeWinsOverTheBodyTime() throws Exception {
        Instant sent = ProtocolMessages.UPDATE_TIME.plusMillis(40);

        assertThat(extract(update().set("timestamp", sent)).eventTime).isEqualTo(sent.toEpochMilli());
        assertThat(extract(update().set("timestamp", sent).remove("timestamp")).eventTime)
                .isEqualTo(ProtocolMessages.UPDATE_TIME.toEpochMilli());
    }

    @Test
    void startWithoutMonitoringConfigurationHasEmptyThresholds() throws Exception {
        TraceEvent event = extract(start().removeFromBody("monitoring_configuration").parentSpanId("b7ad6b7169203331"));

        assertThat(event.thresholds).isEqualTo(new Thresholds());
        assertThat(event.parentSpanId).isEqualTo("b7ad6b7169203331");
        assertThat(event.serviceName).isEqualTo(ProtocolMessages.SERVICE_NAME);
        assertThat(event.operationName).isEqualTo(ProtocolMessages.OPERATION_NAME);
    }

    @Test
    void partialThresholds() throws Exception {
        Thresholds thresholds = extract(start()
                .removeFromBody("monitoring_configuration.performance_targets")
                .removeFromBody("monitoring_configuration.alert_thresholds.cpu_usage_percent"))
                .thresholds;

        assertThat(thresholds.durationMs).isEqualTo(10000.0);
        assertThat(thresholds.cpuUsagePercent).isNull();
        assertThat(thresholds.maxLatencyP95Ms).isNull();
    }

    @Test
    void errorLogsAreCounted() throws Exception {
        Instant at = ProtocolMessages.UPDATE_TIME;
        Message message = update()
                .setInBody("span_logs[2]", log(at, "error", "approval failed"))
                .setInBody("span_logs[3]", log(at, "FATAL", "processor died"))
                .setInBody("span_logs[4]", log(at, "Error", "retry failed"))
                .setInBody("span_logs[5]", log(at, "debug", "errors: none"));

        assertThat(extract(message).measurements.errorCount).isEqualTo(3L);
        assertThat(extract(update().removeFromBody("span_logs")).measurements.errorCount).isNull();
    }

    @Test
    void updateWithoutMetricsReportsNothing() throws Exception {
        Measurements m = extract(update().removeFromBody("performance_metrics").removeFromBody("span_logs"))
                .measurements;

        assertThat(m).isEqualTo(new Measurements());
    }

    @Test
    void completionErrorRateNeedsOperations() throws Exception {
        Measurements m = extract(completion()
                .setInBody("performance_summary.total_operations", 0)
                .setInBody("performance_summary.failed_operations", 0))
                .measurements;

        assertThat(m.errorRatePercent).isNull();
        assertThat(m.errorCount).isZero();
        assertThat(m.operationCount).isZero();
        assertThat(extract(completion().setInBody("performance_summary.failed_operations", 1567)).measurements
                .errorRatePercent).isEqualTo(100.0);
    }

    @Test
    void failedCompletion() throws Exception {
        TraceEvent event = extract(completion()
                .setInBody("status", "failed")
                .setInBody("span_status.status_code", "error")
                .setInBody("execution_result.success", false));

        assertThat(event.status).isEqualTo("failed");
        assertThat(event.statusCode).isEqualTo("error");
        assertThat(event.success).isFalse();
    }

    @Test
    void completionWithoutResults() throws Exception {
        TraceEvent event = extract(completion().removeFromBody("span_status").removeFromBody("execution_result")
                .removeFromBody("final_metrics").removeFromBody("performance_summary"));

        assertThat(event.statusCode).isNull();
        assertThat(event.success).isNull();
        assertThat(event.measurements).isEqualTo(new Measurements());
    }

    @Test
    void metricsMemoryInMegabytes() throws Exception {
        Measurements m = extract(metrics().setInBody("system_metrics.memory.used_bytes", 3 * 512 * 1024)).measurements;

        assertThat(m.memoryUsageMb).isEqualTo(1.5);
    }

    @Test
    void refusesAMessageWithoutItsBody() throws Exception {
        TraceMessage unknown = Json.mapper().readValue(start().set("message_type", "x").json(), TraceMessage.class);
        TraceMessage bodyless = Json.mapper().readValue(start().remove("payload.trace_start").json(), TraceMessage.class);

        assertThatThrownBy(() -> TraceEventExtractor.extract(unknown, new byte[] {}, "p", 0L, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceEventExtractor.extract(bodyless, new byte[] {}, "p", 0L, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
