package dev.mplp.trace.cep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.NameMatcher;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertState;
import java.util.List;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RuledSilencesTest {

    @Test
    void aSilencePutInForceMidStreamDropsTheAlertsAfterItAndANewerDocumentLiftsIt() throws Exception {
        BroadcastProcessFunction<Alert, RuleSet, Alert> silences =
                new RuledSilences(List.of(new Silence(null, null, NameMatcher.valueOf("flapping"))));
        try (BroadcastOperatorTestHarness<Alert, RuleSet, Alert> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(silences, RuntimeRules.IN_FORCE)) {
            harness.processElement(alert("a", "checkout", "error_burst"), 1);
            harness.processElement(alert("b", "checkout", "flapping"), 2);
            harness.processBroadcastElement(rules(1, new Silence(NameMatcher.valueOf("checkout"), null, null)), 3);
            harness.processElement(alert("c", "checkout", "error_burst"), 4);
            harness.processElement(alert("d", "payments", "error_burst"), 5);
            harness.processBroadcastElement(rules(2), 6);
            harness.processElement(alert("e", "checkout", "error_burst"), 7);

            assertThat(harness.extractOutputValues()).extracting(a -> a.alertId).containsExactly("a", "d", "e");
        }
    }

    private static RuleSet rules(long version, Silence... silences) {
        RuleSet rules = new RuleSet();
        rules.version = version;
        rules.silences = silences;
        return rules;
    }

    private static Alert alert(String id, String service, String type) {
        Alert alert = new Alert();
        alert.alertId = id;
        alert.alertType = type;
        alert.serviceName = service;
        alert.evaluationResult = AlertState.TRIGGERED;
        return alert;
    }
}
