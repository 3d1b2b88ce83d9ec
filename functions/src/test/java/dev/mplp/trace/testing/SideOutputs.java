package dev.mplp.trace.testing;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** The side outputs of Flink's operator test harnesses, as lists. */
public final class SideOutputs {

    private SideOutputs() {}

    /** What {@code harness} sent to {@code tag} so far, in order; empty when nothing was (it has no queue then). */
    public static <T> List<T> of(AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
