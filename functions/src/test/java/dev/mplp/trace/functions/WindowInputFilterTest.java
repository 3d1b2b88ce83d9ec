package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WindowInputFilterTest {

    @Test
    void completedSpansWithoutServiceOrOperationAreSkipped() throws Exception {
        CompletedSpan named = span("svc", "op");
        try (OneInputStreamOperatorTestHarness<CompletedSpan, CompletedSpan> harness =
                new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(WindowInputFilter.completedSpans()))) {
            harness.open();
            harness.processElement(named, 1);
            harness.processElement(span(null, "op"), 2);
            harness.processElement(span("svc", null), 3);

            assertThat(harness.extractOutputValues()).containsExactly(named);
        }
    }

    @Test
    void onlyMetricsMessagesWithTheirServiceAreResourceSamples() throws Exception {
        TraceEvent sample = event(MessageType.METRICS, "svc");
        try (OneInputStreamOperatorTestHarness<TraceEvent, TraceEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(WindowInputFilter.metricsSamples()))) {
            harness.open();
            harness.processElement(sample, 1);
            harness.processElement(event(MessageType.METRICS, null), 2);
            harness.processElement(event(MessageType.UPDATE, "svc"), 3);

            assertThat(harness.extractOutputValues()).containsExactly(sample);
        }
    }

    private static CompletedSpan span(String service, String operation) {
        CompletedSpan span = new CompletedSpan();
        span.serviceName = service;
        span.operationName = operation;
        return span;
    }

    private static TraceEvent event(MessageType type, String service) {
        TraceEvent event = new TraceEvent();
        event.messageType = type;
        event.serviceName = service;
        event.messageId = type + "-" + service;
        return event;
    }
}
