package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.float64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Severity;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BreachesTableTest {

    private static final long BREACHED_AT = 1_764_064_800_000L;

    @TempDir
    Path dir;

    @Test
    void writesEachBreachWithItsSpanItsLimitAndItsValue() throws Exception {
        Alert breach = new Alert();
        breach.alertId = Alert.idOf("threshold_breach", "t/s", "threshold.duration_ms", BREACHED_AT);
        breach.alertType = "threshold_breach";
        breach.alertRuleId = "threshold.duration_ms";
        breach.evaluationResult = AlertState.TRIGGERED;
        breach.severity = Severity.CRITICAL;
        breach.serviceName = "checkout";
        breach.operationName = "charge";
        breach.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        breach.spanId = "00f067aa0ba902b7";
        breach.metric = "duration_ms";
        breach.thresholdValue = 1500.0;
        breach.actualValue = 2400.0;
        breach.deviationPercent = 60.0;
        breach.evaluationTimestamp = BREACHED_AT;
        breach.startedAt = BREACHED_AT;

        List<Group> rows = ArchiveFiles.rows(TableFiles.write(
                dir.resolve("b.parquet"), BreachesTable.TABLE, ArchiveCompression.ZSTD, List.of(breach)));

        assertThat(rows).hasSize(1);
        Group row = rows.get(0);
        assertThat(int64(row, "event_time")).isEqualTo(BREACHED_AT);
        assertThat(string(row, "trace_id")).isEqualTo(breach.traceId);
        assertThat(string(row, "span_id")).isEqualTo(breach.spanId);
        assertThat(string(row, "service_name")).isEqualTo("checkout");
        assertThat(string(row, "operation_name")).isEqualTo("charge");
        assertThat(string(row, "alert_type")).isEqualTo("threshold_breach");
        assertThat(string(row, "alert_rule_id")).isEqualTo("threshold.duration_ms");
        assertThat(string(row, "metric")).isEqualTo("duration_ms");
        assertThat(string(row, "severity")).isEqualTo("critical");
        assertThat(float64(row, "threshold_value")).isEqualTo(1500.0);
        assertThat(float64(row, "actual_value")).isEqualTo(2400.0);
        assertThat(float64(row, "deviation_percent")).isEqualTo(60.0);
        assertThat(string(row, "breach_id")).isEqualTo(breach.alertId);
    }
}
