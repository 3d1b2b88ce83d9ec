package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.float64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.ServiceWindow;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceWindowsTableTest {

    @TempDir
    Path dir;

    @Test
    void writesBothKindsOfWindowWithTheOtherKindsColumnsNull() throws Exception {
        ServiceWindow red = new ServiceWindow();
        red.kind = ServiceWindow.KIND_OPERATION;
        red.serviceName = "checkout";
        red.operationName = "charge";
        red.windowStart = 60_000L;
        red.windowEnd = 120_000L;
        red.spanCount = 42;
        red.errorSpanCount = 2;
        red.throughputOpsPerSec = 0.7;
        red.errorRatePercent = 4.76;
        red.latencyP50Ms = 120.0;
        red.latencyP95Ms = 480.0;
        red.latencyP99Ms = 900.0;
        red.latencyMaxMs = 1200.0;
        red.baselineLatencyP95Ms = 300.0;
        red.baselineErrorRatePercent = 1.0;
        red.baselineThroughputOpsPerSec = 0.8;
        ServiceWindow resource = new ServiceWindow();
        resource.kind = ServiceWindow.KIND_RESOURCE;
        resource.serviceName = "catalog";
        resource.windowStart = 60_000L;
        resource.windowEnd = 120_000L;
        resource.metricsSamples = 6;
        resource.cpuUsagePercentAvg = 55.5;
        resource.cpuUsagePercentMax = 97.0;
        resource.memoryUsageMbAvg = 512.0;
        resource.memoryUsageMbMax = 800.0;

        List<Group> rows = ArchiveFiles.rows(TableFiles.write(dir.resolve("w.parquet"), ServiceWindowsTable.TABLE,
                ArchiveCompression.ZSTD, List.of(red, resource)));

        Group op = rows.get(0);
        assertThat(string(op, "kind")).isEqualTo("operation");
        assertThat(string(op, "service_name")).isEqualTo("checkout");
        assertThat(string(op, "operation_name")).isEqualTo("charge");
        assertThat(int64(op, "window_start")).isEqualTo(60_000L);
        assertThat(int64(op, "window_end")).isEqualTo(120_000L);
        assertThat(int64(op, "span_count")).isEqualTo(42L);
        assertThat(int64(op, "error_span_count")).isEqualTo(2L);
        assertThat(float64(op, "throughput_ops_per_sec")).isEqualTo(0.7);
        assertThat(float64(op, "error_rate_percent")).isEqualTo(4.76);
        assertThat(float64(op, "latency_p50_ms")).isEqualTo(120.0);
        assertThat(float64(op, "latency_p95_ms")).isEqualTo(480.0);
        assertThat(float64(op, "latency_p99_ms")).isEqualTo(900.0);
        assertThat(float64(op, "latency_max_ms")).isEqualTo(1200.0);
        assertThat(float64(op, "baseline_latency_p95_ms")).isEqualTo(300.0);
        assertThat(float64(op, "baseline_error_rate_percent")).isEqualTo(1.0);
        assertThat(float64(op, "baseline_throughput_ops_per_sec")).isEqualTo(0.8);
        assertThat(float64(op, "cpu_usage_percent_avg")).isNull();

        Group res = rows.get(1);
        assertThat(string(res, "kind")).isEqualTo("resource");
        assertThat(string(res, "operation_name")).isNull();
        assertThat(int64(res, "metrics_samples")).isEqualTo(6L);
        assertThat(float64(res, "cpu_usage_percent_avg")).isEqualTo(55.5);
        assertThat(float64(res, "cpu_usage_percent_max")).isEqualTo(97.0);
        assertThat(float64(res, "memory_usage_mb_avg")).isEqualTo(512.0);
        assertThat(float64(res, "memory_usage_mb_max")).isEqualTo(800.0);
        assertThat(float64(res, "latency_p95_ms")).isNull();
    }
}
