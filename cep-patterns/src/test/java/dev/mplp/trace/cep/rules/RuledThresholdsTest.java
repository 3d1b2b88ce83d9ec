package dev.mplp.trace.cep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Instant;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RuledThresholdsTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aThresholdChangedMidStreamAppliesToTheSpansStartingAfterItAndTheTracesOwnLimitsStillWin() throws Exception {
        try (BroadcastOperatorTestHarness<TraceEvent, RuleSet, TraceEvent> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new RuledThresholds(), RuntimeRules.IN_FORCE)) {
            TraceEvents before = TraceEvents.span(TRACE, "0000000000000001");
            harness.processElement(before.start(T0).event, T0.toEpochMilli());
            harness.processBroadcastElement(rules(1, 50.0), T0.toEpochMilli());
            TraceEvents after = TraceEvents.span(TRACE, "0000000000000002");
            harness.processElement(after.start(T0.plusSeconds(1)).event, T0.toEpochMilli() + 1000);
            harness.processElement(after.update(T0.plusSeconds(2), m -> m.cpuUsagePercent = 60.0).event,
                    T0.toEpochMilli() + 2000);
            TraceEvents own = TraceEvents.span(TRACE, "0000000000000003");
            harness.processElement(own.start(T0.plusSeconds(3), limits -> limits.cpuUsagePercent = 90.0).event,
                    T0.toEpochMilli() + 3000);
            harness.processBroadcastElement(rules(2, null), T0.toEpochMilli() + 4000);
            TraceEvents lifted = TraceEvents.span(TRACE, "0000000000000004");
            harness.processElement(lifted.start(T0.plusSeconds(5)).event, T0.toEpochMilli() + 5000);

            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.spanId, e -> e.thresholds == null ? null : e.thresholds.cpuUsagePercent)
                    .containsExactly(
                            tuple("0000000000000001", null),
                            tuple("0000000000000002", 50.0),
                            tuple("0000000000000002", null),
                            tuple("0000000000000003", 90.0),
                            tuple("0000000000000004", null));
        }
    }

    private static RuleSet rules(long version, Double cpuUsagePercent) {
        RuleSet rules = new RuleSet();
        rules.version = version;
        if (cpuUsagePercent != null) {
            rules.thresholds = new Thresholds();
            rules.thresholds.cpuUsagePercent = cpuUsagePercent;
        }
        return rules;
    }
}
