package dev.mplp.trace.cep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import dev.mplp.trace.config.NameMatcher;
import dev.mplp.trace.config.ScopedThresholds;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RuledThresholdsTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aThresholdChangedMidStreamAppliesToTheSpansStartingAfterItAndTheTracesOwnLimitsStillWin() throws Exception {
        try (BroadcastOperatorTestHarness<TraceEvent, RuleSet, TraceEvent> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new RuledThresholds(List.of()), RuntimeRules.IN_FORCE)) {
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

    @Test
    void eachLimitComesFromTheFirstScopedRuleThatAppliesThenTheDocumentsDefaultThenTheConfiguration() throws Exception {
        ScopedThresholds configuredCheckout = new ScopedThresholds(
                NameMatcher.valueOf("checkout"), null, limits(l -> { l.cpuUsagePercent = 70.0; l.durationMs = 900.0; }));
        ScopedThresholds documentCharge = new ScopedThresholds(
                NameMatcher.valueOf("checkout"), NameMatcher.valueOf("~charge|refund"), limits(l -> l.durationMs = 3000.0));
        RuleSet document = rules(1, 50.0);
        document.scopedThresholds = new ScopedThresholds[] {documentCharge};
        try (BroadcastOperatorTestHarness<TraceEvent, RuleSet, TraceEvent> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new RuledThresholds(List.of(configuredCheckout)), RuntimeRules.IN_FORCE)) {
            TraceEvents charge = TraceEvents.span(TRACE, "0000000000000001").in("checkout", "charge");
            harness.processElement(charge.start(T0).event, T0.toEpochMilli());
            harness.processBroadcastElement(document, T0.toEpochMilli());
            harness.processElement(charge.start(T0).event, T0.toEpochMilli());
            TraceEvents cart = TraceEvents.span(TRACE, "0000000000000002").in("checkout", "list_cart");
            harness.processElement(cart.start(T0).event, T0.toEpochMilli());
            TraceEvents search = TraceEvents.span(TRACE, "0000000000000003").in("catalog", "search");
            harness.processElement(search.start(T0).event, T0.toEpochMilli());

            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.serviceName + "/" + e.operationName,
                            e -> e.thresholds == null ? null : e.thresholds.durationMs,
                            e -> e.thresholds == null ? null : e.thresholds.cpuUsagePercent)
                    .containsExactly(
                            // before any document: the configuration's scoped limits
                            tuple("checkout/charge", 900.0, 70.0),
                            // the document's scoped duration, the configuration's scoped CPU before the document's default
                            tuple("checkout/charge", 3000.0, 70.0),
                            tuple("checkout/list_cart", 900.0, 70.0),
                            // no scoped rule: the document's default, the rest left to detection.thresholds.defaults
                            tuple("catalog/search", null, 50.0));
        }
    }

    @Test
    void withoutADocumentTheConfiguredScopedLimitsAreFilledAndOtherSpansPassAsTheyAre() {
        ScopedThresholdsFill fill = new ScopedThresholdsFill(List.of(new ScopedThresholds(
                NameMatcher.including().excluding("~health.*"), null, limits(l -> l.durationMs = 500.0))));
        TraceEvent charge = TraceEvents.span(TRACE, "0000000000000001").in("checkout", "charge").start(T0).event;
        TraceEvent health = TraceEvents.span(TRACE, "0000000000000002").in("healthcheck", "ping").start(T0).event;

        assertThat(fill.map(charge).thresholds.durationMs).isEqualTo(500.0);
        assertThat(fill.map(health)).isSameAs(health);
    }

    private static Thresholds limits(java.util.function.Consumer<Thresholds> setter) {
        Thresholds limits = new Thresholds();
        setter.accept(limits);
        return limits;
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
