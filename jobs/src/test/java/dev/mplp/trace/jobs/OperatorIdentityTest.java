package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.transformations.AbstractBroadcastStateTransformation;
import org.apache.flink.streaming.api.transformations.KeyedMultipleInputTransformation;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.ReduceTransformation;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint maps state to operators by uid: the streaming job with every output (late messages, the archive, a
 * rules source) must give each stateful operator (sources, sinks, keyed and broadcast operators) an explicit uid,
 * unique in the job, and every operator a readable name of its own (not Flink's default such as "Map").
 */
class OperatorIdentityTest {

    /** The names Flink gives operators that were not named. */
    private static final Set<String> FLINK_DEFAULT_NAMES = Set.of(
            "Map", "Filter", "Flat Map", "FlatMap", "Process", "KeyedProcess", "Co-Process", "Co-Flat Map",
            "Co-Map", "Timestamps/Watermarks", "Keyed Reduce", "Sink", "Source");

    /** The stateful uids of the job before the span session (the golden guard's commit). */
    private static final Set<String> BEFORE_SPAN_SESSION = Set.of(
            "alert-lifecycle", "alert-silences", "alerts-sink", "archive-alerts-sink", "archive-dead_letters-sink",
            "archive-messages-sink", "archive-service_windows-sink", "archive-spans-sink", "dead-letters-sink",
            "deduplicate-messages", "degradation-detector", "degradation-trend-incidents",
            "degradation-trend-pattern", "degradation-trend-windows-inside", "error-burst-incidents",
            "error-burst-pattern", "incomplete-span-incidents", "incomplete-span-pattern",
            "incomplete-span-starts-and-completions", "late-messages-sink", "raw-messages-source", "red-windows",
            "resource-windows", "rule-documents", "rule-documents-source", "ruled-thresholds",
            "sequence-span-events", "span-lifecycle", "sustained-breach-evaluations", "sustained-breach-incidents",
            "sustained-breach-pattern", "sustained-breach-recovery-pattern", "threshold-breaches");
    /**
     * Their state (messages waiting for the watermark, open spans' names and progress, incomplete spans' starts and
     * open incidents, open threshold incidents, sustained-breach partial matches and open incidents) is not carried
     * over.
     */
    private static final Set<String> REPLACED_BY_SPAN_SESSION = Set.of("sequence-span-events", "span-lifecycle",
            "incomplete-span-incidents", "incomplete-span-pattern", "incomplete-span-starts-and-completions",
            "threshold-breaches", "sustained-breach-evaluations", "sustained-breach-pattern",
            "sustained-breach-recovery-pattern", "sustained-breach-incidents");

    @TempDir
    Path dir;

    private List<Transformation<?>> transformations;

    @BeforeEach
    void defineTheStreamJob() throws Exception {
        transformations = StreamJobGraph.transformations(dir);
    }

    @Test
    void everyStatefulOperatorHasAnExplicitUniqueUid() {
        List<Transformation<?>> stateful = transformations.stream().filter(OperatorIdentityTest::isStateful).toList();
        assertThat(stateful).as("sources, sinks, keyed and broadcast operators").hasSizeGreaterThan(10);
        assertThat(stateful).allSatisfy(t -> assertThat(t.getUid()).as("uid of %s", t.getName()).isNotBlank());
        assertThat(stateful.stream().map(Transformation::getUid)).doesNotHaveDuplicates();
    }

    @Test
    void aSavepointOfTheReleaseBeforeTheSpanSessionRestoresLosingOnlyTheStateOfTheOperatorsItReplaced() {
        Set<String> uids = new HashSet<>();
        transformations.stream().filter(OperatorIdentityTest::isStateful).forEach(t -> uids.add(t.getUid()));

        assertThat(uids).as("uids a savepoint of the previous release restores into")
                .containsAll(BEFORE_SPAN_SESSION.stream().filter(uid -> !REPLACED_BY_SPAN_SESSION.contains(uid))
                        .toList())
                .as("state that --allowNonRestoredState leaves behind (README: Upgrading to the span session)")
                .doesNotContainAnyElementsOf(REPLACED_BY_SPAN_SESSION)
                .contains("span-session", "sustained-breaches");
    }

    @Test
    void everyOperatorHasANameOfItsOwn() {
        List<Transformation<?>> operators = transformations.stream().filter(t -> !StreamJobGraph.isVirtual(t)).toList();
        assertThat(operators).allSatisfy(t -> assertThat(t.getName())
                .as("name of the operator with uid %s (%s)", t.getUid(), t.getClass().getSimpleName())
                .isNotBlank()
                .isNotIn(FLINK_DEFAULT_NAMES));
    }

    /** Holds state that a savepoint must find again: reading position, pending output, keyed or broadcast state. */
    private static boolean isStateful(Transformation<?> t) {
        return t instanceof SourceTransformation
                || t instanceof SinkTransformation
                || t instanceof ReduceTransformation
                || t instanceof KeyedMultipleInputTransformation
                || t instanceof AbstractBroadcastStateTransformation
                || (t instanceof OneInputTransformation<?, ?> one && one.getStateKeySelector() != null)
                || (t instanceof TwoInputTransformation<?, ?, ?> two && two.getStateKeySelector1() != null);
    }
}
