package dev.mplp.trace.testing;

import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.TraceEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The span session in Flink's keyed operator harness, as the tests of it and of what follows it drive it. */
public final class SpanSessionHarness {

    private SpanSessionHarness() {}

    /** {@code session} in an open harness, keyed as the pipeline keys it. */
    public static KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> open(SpanSession session)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(session, SpanSession::key, Types.STRING);
    }

    /** Sends {@code event} and lets the watermark pass it: the session releases it at once. */
    public static void sendAndRelease(
            KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, TraceEvent> harness, TraceEvent event)
            throws Exception {
        harness.processElement(new StreamRecord<>(event, event.eventTime));
        harness.processWatermark(event.eventTime);
    }
}
