package dev.mplp.trace.cep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.TraceEvents;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * CEP keeps state per key; keyed by span, every span is a new key. Over many messages of rotating spans the state
 * must stay as small as the spans in flight, whether they complete or time out. Two messages per span: 50,000
 * spans by default; {@code -Dcep.state-bound.spans=500000} runs a million messages (about 70 s on a busy 2-core machine).
 */
class PatternStateBoundTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final int SPANS = Integer.getInteger("cep.state-bound.spans", 50_000);
    private static final int SPACING_MS = 10;
    private static final int BATCH = 1_000;
    private static final long MAX_TIMEOUT_MS = 10_000;
    private static final TraceAnalyticsConfig CONFIG =
            ConfigLoader.load(null, Map.of("patterns.incomplete-span.max-timeout", "10s"));

    @Test
    void incompleteSpanStateStaysBoundedOverManyMessagesOfRotatingSpans() throws Exception {
        long inFlight = MAX_TIMEOUT_MS / SPACING_MS + BATCH;
        long maxEntries = 0;
        long timedOut = 0;
        try (KeyedOneInputStreamOperatorTestHarness<String, TraceEvent, Alert> harness = CepHarness.of(
                TraceEvent.class,
                SpanSession::key,
                IncompleteSpan.pattern(CONFIG.patterns().incompleteSpan()),
                new IncompleteSpan.IncompleteSpanAlerts(CONFIG))) {
            for (int i = 0; i < SPANS; i++) {
                Instant start = T0.plusMillis((long) i * SPACING_MS);
                TraceEvents span = TraceEvents.span(String.format("%032x", i + 1), String.format("%016x", i + 1));
                harness.processElement(span.start(start, limits -> limits.durationMs = 500.0).record());
                // every tenth span never completes and times out
                TraceEvents.Built completion = span.completion(start.plusMillis(300), m -> {});
                harness.processElement(i % 10 == 0 ? span.metrics(start.plusMillis(300), m -> {}).record()
                        : completion.record());
                if ((i + 1) % BATCH == 0) {
                    harness.processWatermark(start.toEpochMilli());
                }
                if ((i + 1) % 10_000 == 0) {
                    maxEntries = Math.max(maxEntries, harness.numKeyedStateEntries());
                }
            }
            harness.processWatermark(T0.plusMillis((long) SPANS * SPACING_MS + 2 * MAX_TIMEOUT_MS).toEpochMilli());
            var side = harness.getSideOutput(IncompleteSpan.TIMED_OUT);
            timedOut = side == null ? 0 : side.size();

            assertThat(maxEntries).isLessThan(5 * inFlight);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
        assertThat(timedOut).isEqualTo(SPANS / 10);
    }
}
