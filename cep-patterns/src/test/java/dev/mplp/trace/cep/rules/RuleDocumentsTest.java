package dev.mplp.trace.cep.rules;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mplp.trace.config.NameMatcher;
import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RuleDocumentsTest {

    @Test
    void aValidDocumentIsPutInForceAndTheInvalidOnesAreDeadLetteredWithTheirReason() throws Exception {
        try (var harness = harness()) {
            send(harness, "{\"version\": 1, \"silences\": [{\"service\": \"checkout\", \"alert_type\": \"error_burst\"}]}");
            send(harness, "{\"version\": 1, \"silences\": []}");
            send(harness, "{\"version\": 2, \"silences\": [");
            send(harness, "{\"version\": 2, \"silence\": []}");
            send(harness, "{\"version\": 2, \"silences\": [{}]}");
            send(harness, "{\"silences\": []}");
            send(harness, "{\"version\": 2}");

            assertThat(harness.extractOutputValues())
                    .extracting(rules -> rules.version, rules -> List.of(rules.silences))
                    .containsExactly(
                            tuple(
                                    1L, List.of(new Silence(NameMatcher.valueOf("checkout"), null, NameMatcher.valueOf("error_burst")))),
                            tuple(2L, List.of()));
            assertThat(harness.getSideOutput(RuleDocuments.REJECTED))
                    .extracting(record -> (DeadLetter) record.getValue())
                    .satisfiesExactly(
                            rejected -> rejectedAs(rejected, DeadLetterReason.INVALID_TYPE, "not newer than version 1"),
                            rejected -> rejectedAs(rejected, DeadLetterReason.MALFORMED_JSON, "not JSON"),
                            rejected -> rejectedAs(rejected, DeadLetterReason.INVALID_TYPE, "\"silence\""),
                            rejected -> rejectedAs(rejected, DeadLetterReason.INVALID_TYPE, "silences[0]: must give"),
                            rejected -> rejectedAs(rejected, DeadLetterReason.MISSING_FIELD, "version"));
        }
    }

    @Test
    void silencesOfADocumentTakeRegularExpressionsAndAnExpiryAndABadRegularExpressionIsRefused() throws Exception {
        try (var harness = harness()) {
            send(harness, "{\"version\": 1, \"silences\": [{\"operation\": \"~charge(\"}]}");
            send(harness, "{\"version\": 2, \"silences\": [{\"service\": {\"include\": [\"~pay.*\"],"
                    + " \"exclude\": [\"payments-canary\"]}, \"ends_at\": \"2025-09-03T11:00:00Z\"}]}");

            Silence silence = harness.extractOutputValues().get(0).silences[0];
            assertThat(silence.service).isEqualTo(NameMatcher.including("~pay.*").excluding("payments-canary"));
            assertThat(silence.endsAt).isEqualTo("2025-09-03T11:00:00Z");
            rejectedAs((DeadLetter) harness.getSideOutput(RuleDocuments.REJECTED).peek().getValue(),
                    DeadLetterReason.INVALID_TYPE, "silences[0]: operation: '~charge(' is not a regular expression");
        }
    }

    @Test
    void thresholdsAreReadByTheirProtocolNamesAndANegativeOneIsRefused() throws Exception {
        try (var harness = harness()) {
            send(harness, "{\"version\": 1, \"thresholds\": {\"cpu_usage_percent\": -5}}");
            send(harness, "{\"version\": 2, \"thresholds\": {\"cpu_usage_percent\": 70, \"max_latency_p95_ms\": 1500},"
                    + " \"scoped_thresholds\": [{\"service\": \"checkout\", \"thresholds\": {\"duration_ms\": 3000}}]}");
            send(harness, "{\"version\": 3, \"scoped_thresholds\": [{\"service\": \"checkout\","
                    + " \"thresholds\": {\"duration_ms\": -1}}]}");

            assertThat(harness.extractOutputValues()).singleElement().satisfies(rules -> {
                assertThat(rules.thresholds.cpuUsagePercent).isEqualTo(70.0);
                assertThat(rules.thresholds.maxLatencyP95Ms).isEqualTo(1500.0);
                assertThat(rules.thresholds.durationMs).isNull();
                assertThat(rules.scopedThresholds).singleElement().satisfies(scoped -> {
                    assertThat(scoped.appliesTo("checkout", "charge")).isTrue();
                    assertThat(scoped.thresholds.durationMs).isEqualTo(3000.0);
                });
            });
            assertThat(harness.getSideOutput(RuleDocuments.REJECTED)).extracting(r -> ((DeadLetter) r.getValue()).detail)
                    .containsExactly(
                            "rule document: thresholds.cpu_usage_percent: must be a number, not negative",
                            "rule document: scoped_thresholds[0]: thresholds.duration_ms: must be a number, not negative");
        }
    }

    @Test
    void aRejectedDocumentKeepsItsTextAndWhereItCameFrom() throws Exception {
        try (var harness = harness()) {
            send(harness, "not json");

            DeadLetter rejected = (DeadLetter) harness.getSideOutput(RuleDocuments.REJECTED).peek().getValue();
            assertThat(rejected.rawPayload).isEqualTo("not json");
            assertThat(rejected.sourcePosition).isEqualTo("file:rules.jsonl:1");
            assertThat(rejected.ingestTime).isEqualTo(42L);
        }
    }

    private static void rejectedAs(DeadLetter rejected, DeadLetterReason reason, String detail) {
        assertThat(rejected.reason).isEqualTo(reason);
        assertThat(rejected.detail).startsWith("rule document: ").contains(detail);
    }

    @Test
    void theRulesSerializeAsPojos() {
        assertSerializedAsPojoWithoutKryo(RuleSet.class);
        assertSerializedAsPojoWithoutKryo(Silence.class);
        assertSerializedAsPojoWithoutKryo(NameMatcher.class);
        assertSerializedAsPojoWithoutKryo(ScopedThresholds.class);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, RawMessage, RuleSet> harness, String text)
            throws Exception {
        harness.processElement(new StreamRecord<>(RawMessage.of(text, "file:rules.jsonl:1", 42L)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RawMessage, RuleSet> harness() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RuleDocuments()), document -> RuleDocuments.KEY, Types.STRING);
        harness.open();
        return harness;
    }
}
