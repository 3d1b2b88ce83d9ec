package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.ProtocolMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The span's details (the start's attributes, resource attributes and trace state) reach the completed span only
 * when an output reads them: the OTLP span export, or span metrics with attribute dimensions. Without either the
 * pipeline leaves them out before the span session, which then does not hold them for the span's life.
 */
class SpanDetailsITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    @TempDir
    Path dir;

    @Test
    void withoutAnOutputThatReadsThemTheCompletedSpanHasNoDetails() throws Exception {
        CompletedSpan span = completedSpan(ConfigLoader.defaults(), false);

        assertThat(span.serviceName).isEqualTo(ProtocolMessages.SERVICE_NAME);
        assertThat(span.thresholds).as("the start's limits stay: the detectors read them").isNotNull();
        assertThat(span.attributes).isNull();
        assertThat(span.resourceAttributes).isNull();
    }

    @Test
    void anOtlpSpanExportKeepsTheStartsAttributes() throws Exception {
        CompletedSpan span = completedSpan(ConfigLoader.defaults(), true);

        assertThat(span.attributes).contains("\"http.status_code\":200");
        assertThat(span.resourceAttributes).contains("\"host.name\":\"workflow-service-pod-001\"");
    }

    @Test
    void spanMetricsDimensionsKeepTheStartsAttributes() throws Exception {
        Path file = Files.writeString(
                dir.resolve("dimensions.yaml"), "span-metrics:\n  dimensions: [http.status_code]\n");

        CompletedSpan span = completedSpan(ConfigLoader.load(file, Map.of()), false);

        assertThat(span.attributes).contains("\"http.status_code\":200");
    }

    /** The one completed span of a start and its completion through the whole pipeline. */
    private static CompletedSpan completedSpan(TraceAnalyticsConfig config, boolean otlpSpanExport) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<RawMessage> raw = env.fromData(
                List.of(ProtocolMessages.start().raw(), ProtocolMessages.completion().raw()),
                TypeInformation.of(RawMessage.class));
        TracePipeline.Outputs outputs = TracePipeline.build(raw, null, config, EventTimeRange.ALL, otlpSpanExport);
        try (CloseableIterator<CompletedSpan> spans = outputs.completedSpans().executeAndCollect()) {
            CompletedSpan span = spans.next();
            assertThat(spans.hasNext()).isFalse();
            return span;
        }
    }
}
