package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.ServiceWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert leaves the lifecycle once the watermark has passed it on every input, the longest chain of shuffles in
 * the job included: every operator that emits windows or alerts sends each record and watermark at once
 * ({@code SparseOutput}); the operators at the message rate keep the configured buffer timeout.
 */
class SparseOutputTest {

    /** What the windows, the pattern matches, the incidents and the lifecycle emit: a few records a second. */
    private static final Set<Class<?>> SPARSE = Set.of(Alert.class, ServiceWindow.class);

    @TempDir
    Path dir;

    private List<Transformation<?>> operators;

    @BeforeEach
    void defineTheStreamJob() throws Exception {
        operators = StreamJobGraph.transformations(dir).stream()
                .filter(t -> !StreamJobGraph.isVirtual(t) && !(t instanceof SinkTransformation))
                .toList();
    }

    @Test
    void everyOperatorThatEmitsWindowsOrAlertsFlushesEachRecordAndWatermark() {
        List<Transformation<?>> sparse = operators.stream()
                .filter(t -> SPARSE.contains(t.getOutputType().getTypeClass()))
                .toList();

        // the chain that decides when the lifecycle's watermark moves, end to end, and the per-span rules' alerts
        assertThat(sparse.stream().map(Transformation::getName)).contains(
                "red-windows", "empty-operation-windows", "degradation-detector", "degradation-trend-windows",
                "degradation-trend-pattern", "degradation-trend-incidents", "alert-silences", "alert-lifecycle",
                "sustained-breaches", "breach-incident-inputs", "breach-incidents", "error-burst-incidents");
        assertThat(sparse).allSatisfy(t -> assertThat(t.getBufferTimeout()).as(t.getName()).isZero());
    }

    @Test
    void theOperatorsAtTheMessageRateKeepTheConfiguredBufferTimeout() {
        // -1: not set on the operator, the environment's execution.buffer-timeout.interval applies
        assertThat(operators.stream().filter(t -> Set.of(
                        "validate-messages", "deduplicate-messages", "drop-payload", "span-session")
                .contains(t.getName())))
                .hasSize(4)
                .allSatisfy(t -> assertThat(t.getBufferTimeout()).as(t.getName()).isEqualTo(-1L));
    }
}
