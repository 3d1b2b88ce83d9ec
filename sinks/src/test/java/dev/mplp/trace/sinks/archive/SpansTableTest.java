package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.bool;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.float64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Thresholds;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpansTableTest {

    @TempDir
    Path dir;

    @Test
    void writesTypedColumnsAndTheTracesOwnLimits() throws Exception {
        CompletedSpan span = new CompletedSpan();
        span.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        span.spanId = "00f067aa0ba902b7";
        span.parentSpanId = "00f067aa0ba902b8";
        span.serviceName = "checkout";
        span.operationName = "charge";
        span.spanKind = "server";
        span.startTime = 1_000L;
        span.endTime = 3_500L;
        span.durationMs = 2_499.5;
        span.statusCode = "error";
        span.success = Boolean.FALSE;
        span.error = true;
        span.errorCount = 3;
        span.messageCount = 5;
        span.thresholds = new Thresholds();
        span.thresholds.durationMs = 2000.0;
        span.thresholds.minThroughputOpsPerSec = 100.0;
        CompletedSpan orphan = new CompletedSpan();
        orphan.traceId = "t";
        orphan.spanId = "s";
        orphan.endTime = 10;

        List<Group> rows = ArchiveFiles.rows(TableFiles.write(
                dir.resolve("s.parquet"), SpansTable.TABLE, ArchiveCompression.ZSTD, List.of(span, orphan)));

        Group row = rows.get(0);
        assertThat(string(row, "trace_id")).isEqualTo(span.traceId);
        assertThat(string(row, "span_id")).isEqualTo(span.spanId);
        assertThat(string(row, "parent_span_id")).isEqualTo("00f067aa0ba902b8");
        assertThat(string(row, "service_name")).isEqualTo("checkout");
        assertThat(string(row, "operation_name")).isEqualTo("charge");
        assertThat(string(row, "span_kind")).isEqualTo("server");
        assertThat(int64(row, "start_time")).isEqualTo(1_000L);
        assertThat(int64(row, "end_time")).isEqualTo(3_500L);
        assertThat(float64(row, "duration_ms")).isEqualTo(2_499.5);
        assertThat(string(row, "status_code")).isEqualTo("error");
        assertThat(bool(row, "success")).isFalse();
        assertThat(bool(row, "error")).isTrue();
        assertThat(int64(row, "error_count")).isEqualTo(3L);
        assertThat(row.getInteger("message_count", 0)).isEqualTo(5);
        assertThat(float64(row, "threshold_duration_ms")).isEqualTo(2000.0);
        assertThat(float64(row, "target_min_throughput_ops_per_sec")).isEqualTo(100.0);
        assertThat(float64(row, "threshold_cpu_usage_percent")).isNull();

        Group bare = rows.get(1);
        assertThat(string(bare, "service_name")).isNull();
        assertThat(bool(bare, "success")).isNull();
        assertThat(float64(bare, "threshold_duration_ms")).isNull();
    }
}
