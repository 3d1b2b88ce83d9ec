package dev.mplp.trace.ingest;

import static dev.mplp.trace.testing.ProtocolMessages.completion;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ValidateMessagesTest {

    private static final TraceAnalyticsConfig.Ingest INGEST = ConfigLoader.defaults().ingest();

    @Test
    void withoutSpanDetailsAMessageLeavesAsItWouldWithThemButForTheDetails() throws Exception {
        List<RawMessage> messages = List.of(
                start().setInBody("trace_state", "rojo=00f067aa0ba902b7,Bad=1")
                        .setInBody("baggage", "workflow_id=wf-001")
                        .raw(),
                completion().raw());

        List<TraceEvent> withDetails = validated(messages, true);
        List<TraceEvent> without = validated(messages, false);

        // the details are there when kept: the start's attributes with the valid W3C members added, its cut trace state
        TraceEvent start = withDetails.get(0);
        assertThat(start.attributes)
                .contains("\"http.status_code\":200")
                .contains("\"baggage.workflow_id\":\"wf-001\"");
        assertThat(start.resourceAttributes).contains("\"host.name\"");
        assertThat(start.traceState).isEqualTo("rojo=00f067aa0ba902b7");
        assertThat(start.baggage).isEqualTo("workflow_id=wf-001");
        assertThat(withDetails.get(1).statusMessage).isEqualTo("Workflow execution completed");
        for (int i = 0; i < messages.size(); i++) {
            TraceEvent expected = withDetails.get(i).copy();
            expected.dropSpanDetails();
            assertThat(without.get(i)).usingRecursiveComparison().isEqualTo(expected);
            assertThat(without.get(i).payload).isEqualTo(messages.get(i).body);
        }
    }

    private static List<TraceEvent> validated(List<RawMessage> messages, boolean spanDetails) throws Exception {
        ValidateMessages validate = new ValidateMessages(INGEST, SecurityConfig.disabled(), spanDetails);
        try (OneInputStreamOperatorTestHarness<RawMessage, TraceEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(validate))) {
            harness.open();
            for (RawMessage message : messages) {
                harness.processElement(message, 0L);
            }
            assertThat(harness.getSideOutput(ValidateMessages.DEAD_LETTERS)).isNull();
            return harness.extractOutputValues();
        }
    }
}
