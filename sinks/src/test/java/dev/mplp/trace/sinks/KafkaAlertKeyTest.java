package dev.mplp.trace.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Alerts written to Kafka are keyed by their incident's alert_id; other outputs stay unkeyed. */
class KafkaAlertKeyTest {

    @Test
    void bothStatesOfAnIncidentCarryItsAlertIdAsKey() {
        var records = OutputSinks.kafkaRecords("alerts", new JsonLines<Alert>(AlertJson::toJson),
                (OutputSinks.KeyOf<Alert>) alert -> alert.alertId);
        Alert triggered = new Alert();
        triggered.alertId = Alert.idOf("threshold_breach", "t/s", "threshold.duration_ms", 1L);
        triggered.evaluationResult = AlertState.TRIGGERED;
        Alert resolved = triggered.copy();
        resolved.evaluationResult = AlertState.RESOLVED;

        ProducerRecord<byte[], byte[]> first = records.serialize(triggered, null, 1L);
        ProducerRecord<byte[], byte[]> second = records.serialize(resolved, null, 2L);

        assertThat(first.topic()).isEqualTo("alerts");
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo(triggered.alertId);
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(new String(second.value(), StandardCharsets.UTF_8)).contains("\"resolved\"");
    }

    @Test
    void withoutAKeyFunctionRecordsAreUnkeyed() {
        var records = OutputSinks.kafkaRecords("dlq", new JsonLines<Alert>(AlertJson::toJson), null);
        Alert alert = new Alert();
        alert.alertId = "a";

        assertThat(records.serialize(alert, null, 1L).key()).isNull();
    }
}
