package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.float64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.Exemplar;
import dev.mplp.trace.records.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTableTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryAlertFieldIncludingTheListOfActions() throws Exception {
        Alert resolved = new Alert();
        resolved.alertId = Alert.idOf("threshold_breach", "t/s", "threshold.cpu_usage_percent", 1000L);
        resolved.alertRuleId = "threshold.cpu_usage_percent";
        resolved.alertRuleName = "CPU threshold";
        resolved.alertType = "threshold_breach";
        resolved.evaluationResult = AlertState.RESOLVED;
        resolved.severity = Severity.CRITICAL;
        resolved.serviceName = "catalog";
        resolved.operationName = "search";
        resolved.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        resolved.spanId = "00f067aa0ba902b7";
        resolved.metric = "cpu_usage_percent";
        resolved.thresholdValue = 80.0;
        resolved.actualValue = 60.5;
        resolved.baselineValue = 40.25;
        resolved.deviationPercent = -24.375;
        resolved.confidence = 0.9;
        resolved.windowStart = 1000L;
        resolved.windowEnd = 61_000L;
        resolved.evaluationTimestamp = 5000L;
        resolved.startedAt = 1000L;
        resolved.resolution = AlertResolution.RECOVERED;
        resolved.alertMessage = "CPU back to normal";
        resolved.recommendedActions = new String[] {"scale out", "check hot loops"};
        resolved.breachingSpans = 12L;
        resolved.spanCount = 80L;
        resolved.breachShare = 0.15;
        resolved.exemplars = new Exemplar[] {
            Exemplar.of("t1", "s1", 99, 80, 2000L, null), Exemplar.of("t2", "s2", 95, 80, 3000L, null)
        };
        Alert bare = new Alert();
        bare.alertId = "a2";
        bare.evaluationTimestamp = 9;
        bare.startedAt = 9;

        List<Group> rows = ArchiveFiles.rows(TableFiles.write(
                dir.resolve("a.parquet"), AlertsTable.TABLE, ArchiveCompression.ZSTD, List.of(resolved, bare)));

        Group row = rows.get(0);
        assertThat(string(row, "alert_id")).isEqualTo(resolved.alertId);
        assertThat(string(row, "alert_rule_id")).isEqualTo("threshold.cpu_usage_percent");
        assertThat(string(row, "alert_rule_name")).isEqualTo("CPU threshold");
        assertThat(string(row, "alert_type")).isEqualTo("threshold_breach");
        assertThat(string(row, "evaluation_result")).isEqualTo("resolved");
        assertThat(string(row, "severity")).isEqualTo("critical");
        assertThat(string(row, "service_name")).isEqualTo("catalog");
        assertThat(string(row, "operation_name")).isEqualTo("search");
        assertThat(string(row, "trace_id")).isEqualTo(resolved.traceId);
        assertThat(string(row, "span_id")).isEqualTo(resolved.spanId);
        assertThat(string(row, "metric")).isEqualTo("cpu_usage_percent");
        assertThat(float64(row, "threshold_value")).isEqualTo(80.0);
        assertThat(float64(row, "actual_value")).isEqualTo(60.5);
        assertThat(float64(row, "baseline_value")).isEqualTo(40.25);
        assertThat(float64(row, "deviation_percent")).isEqualTo(-24.375);
        assertThat(float64(row, "confidence")).isEqualTo(0.9);
        assertThat(int64(row, "window_start")).isEqualTo(1000L);
        assertThat(int64(row, "window_end")).isEqualTo(61_000L);
        assertThat(int64(row, "evaluation_timestamp")).isEqualTo(5000L);
        assertThat(int64(row, "started_at")).isEqualTo(1000L);
        assertThat(string(row, "resolution")).isEqualTo("recovered");
        assertThat(string(row, "alert_message")).isEqualTo("CPU back to normal");
        assertThat(actions(row)).containsExactly("scale out", "check hot loops");
        assertThat(int64(row, "breaching_spans")).isEqualTo(12L);
        assertThat(int64(row, "span_count")).isEqualTo(80L);
        assertThat(float64(row, "breach_share")).isEqualTo(0.15);
        assertThat(list(row, "exemplar_trace_ids")).containsExactly("t1", "t2");
        assertThat(list(row, "exemplar_span_ids")).containsExactly("s1", "s2");

        Group empty = rows.get(1);
        assertThat(actions(empty)).isEmpty();
        assertThat(float64(empty, "threshold_value")).isNull();
        assertThat(int64(empty, "window_start")).isNull();
        assertThat(string(empty, "resolution")).isNull();
        assertThat(int64(empty, "breaching_spans")).isNull();
        assertThat(list(empty, "exemplar_trace_ids")).isEmpty();
    }

    private static List<String> actions(Group row) {
        return list(row, "recommended_actions");
    }

    private static List<String> list(Group row, String column) {
        Group list = row.getGroup(column, 0);
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
            actions.add(list.getGroup("list", i).getString("element", 0));
        }
        return actions;
    }
}
