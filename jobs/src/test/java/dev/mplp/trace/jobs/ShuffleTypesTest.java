package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.records.types.CompactStrings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records that carry long strings (ids, names, a span's attributes) cross every shuffle of the job with their
 * strings written in one block ({@link CompactStrings}), not by Flink's string format a character at a time: an
 * operator that passes them through must keep the type it was given, or its output falls back to Flink's.
 */
class ShuffleTypesTest {

    private static final Set<Class<?>> WITH_LONG_STRINGS =
            Set.of(TraceEvent.class, CompletedSpan.class, MetricEvaluation.class);

    @TempDir
    Path dir;

    @Test
    void everyShuffleOfMessagesSpansAndEvaluationsWritesItsStringsInOneBlock() throws Exception {
        List<PartitionTransformation<?>> shuffles = StreamJobGraph.transformations(dir).stream()
                .filter(t -> t instanceof PartitionTransformation<?>)
                .<PartitionTransformation<?>>map(t -> (PartitionTransformation<?>) t)
                .filter(t -> WITH_LONG_STRINGS.contains(t.getOutputType().getTypeClass()))
                .toList();

        assertThat(shuffles.stream().map(t -> (Object) t.getOutputType().getTypeClass()).distinct())
                .as("the job shuffles messages, completed spans and evaluations")
                .containsExactlyInAnyOrderElementsOf(WITH_LONG_STRINGS);
        assertThat(shuffles).allSatisfy(shuffle -> {
            TypeInformation<?> type = shuffle.getOutputType();
            assertThat(type).as("the records into %s", shuffle.getInputs().get(0).getName())
                    .isEqualTo(CompactStrings.pojo(type.getTypeClass()));
        });
    }
}
