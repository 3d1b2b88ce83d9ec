package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.OtelSpans;
import dev.mplp.trace.testing.ProtocolMessages;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/** The time a Kafka source puts on a raw record before parsing, and the watermarks of one partition. */
class RawRecordWatermarksTest {

    private static final Instant SENT = Instant.parse("2025-09-03T10:00:00.250Z");
    private static final Instant BODY_TIME = SENT.minusSeconds(2);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final TraceAnalyticsConfig.EventTime SETTINGS =
            new TraceAnalyticsConfig.EventTime(OUT_OF_ORDERNESS, IDLE_TIMEOUT, Duration.ofMillis(50));

    private final MessageValidator validator =
            new MessageValidator(64 * 1024, 4096, Set.of(ProtocolMessages.PROTOCOL_VERSION));
    /** Not at 0: Flink's idleness timer takes 0 for "not started". */
    private final ManualClock clock = new ManualClock(Duration.ofHours(1).toNanos());
    private final List<Long> emitted = new ArrayList<>();
    private boolean idle;
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    };

    @Test
    void aRecordsTimeIsTheEventTimeTheValidatorGivesIt() {
        for (MessageType type : MessageType.values()) {
            RawMessage enveloped = ProtocolMessages.of(type).at(BODY_TIME).set("timestamp", SENT).raw();
            RawMessage bodyOnly = ProtocolMessages.of(type).at(BODY_TIME).remove("timestamp").raw();
            for (RawMessage raw : List.of(enveloped, bodyOnly)) {
                Validated validated = validator.validate(raw);
                assertThat(validated.isAccepted()).as("%s %s", type, validated.deadLetter()).isTrue();
                assertThat(timeOf(raw)).as(type.toString())
                        .isEqualTo(validated.event().eventTime);
            }
            assertThat(timeOf(enveloped)).isEqualTo(SENT.toEpochMilli());
            assertThat(timeOf(bodyOnly)).isEqualTo(BODY_TIME.toEpochMilli());
        }
    }

    @Test
    void aRecordWithoutAReadableTimeHasNone() {
        assertThat(timeOf(RawMessage.of("not json", "test:1", 0)))
                .isEqualTo(RawRecordWatermarks.NO_TIME);
        assertThat(timeOf(ProtocolMessages.start().remove("timestamp")
                .removeFromBody("start_time").raw())).isEqualTo(RawRecordWatermarks.NO_TIME);
        assertThat(timeOf(new RawMessage(null, 0, "test:2", 0)))
                .isEqualTo(RawRecordWatermarks.NO_TIME);
        // the body's time is not looked for in a record larger than the envelope's scan (it would cost a parse)
        assertThat(timeOf(ProtocolMessages.start().at(BODY_TIME).remove("timestamp")
                .set("padding", "x".repeat(EnvelopeSniffer.SCAN_LIMIT_BYTES)).raw()))
                .isEqualTo(RawRecordWatermarks.NO_TIME);
    }

    @Test
    void recordsWithoutATimeNeitherMoveThePartitionsWatermarkNorKeepItActive() {
        WatermarkGenerator<RawMessage> partition =
                RawRecordWatermarks.of(null, SETTINGS, false).createWatermarkGenerator(context(clock));
        RawMessage timed = ProtocolMessages.start().at(SENT).raw();
        RawMessage garbage = RawMessage.of("not json", "test:1", 0);

        partition.onEvent(timed, timeOf(timed), output);
        assertThat(emitted).containsExactly(SENT.toEpochMilli() - OUT_OF_ORDERNESS.toMillis() - 1);

        // garbage for twice the idle timeout (Flink's timer starts counting at its first check without activity): no
        // watermark, and the partition goes idle as a quiet one does
        for (int second = 0; second <= 2 * IDLE_TIMEOUT.toSeconds(); second++) {
            partition.onEvent(garbage, timeOf(garbage), output);
            clock.advanceTime(Duration.ofSeconds(1));
            partition.onPeriodicEmit(output);
        }
        assertThat(emitted).hasSize(1);
        assertThat(idle).isTrue();
    }

    @Test
    void aBoundedInputIsNeverIdle() {
        WatermarkGenerator<RawMessage> partition =
                RawRecordWatermarks.of(null, SETTINGS, true).createWatermarkGenerator(context(clock));
        RawMessage timed = ProtocolMessages.start().at(SENT).raw();
        partition.onEvent(timed, timeOf(timed), output);
        clock.advanceTime(IDLE_TIMEOUT.multipliedBy(2));
        partition.onPeriodicEmit(output);

        assertThat(idle).isFalse();
        assertThat(emitted).hasSize(1);
    }

    @Test
    void anOtlpRequestsTimeIsTheEarliestEventTimeOfTheSpanHalvesTheValidatorMakesOfIt() {
        try (OtelSpans otel = new OtelSpans()) {
            List<SpanData> spans = List.of(
                    otel.span("checkout", "charge", BODY_TIME, SENT, false),
                    otel.span("inventory", "lookup", BODY_TIME, BODY_TIME.plusMillis(400), true));
            byte[] proto = OtelSpans.protoRequest(spans);
            byte[] json = OtelSpans.jsonRequest(spans).getBytes(StandardCharsets.UTF_8);
            for (boolean isJson : List.of(false, true)) {
                RawMessage raw = isJson ? RawMessage.of(new String(json, StandardCharsets.UTF_8), "test:1", 0)
                        : new RawMessage(proto, proto.length, "test:1", 0);
                long earliest = new OtlpRequestValidator(isJson, 1 << 20, 4096).validate(raw).stream()
                        .map(Validated::event).mapToLong(event -> event.eventTime).min().orElseThrow();
                assertThat(RawRecordWatermarks.timeOf(raw, isJson ? TraceAnalyticsConfig.SourceFormat.OTLP_JSON
                        : TraceAnalyticsConfig.SourceFormat.OTLP_PROTO))
                        .as(isJson ? "OTLP/JSON" : "OTLP/protobuf")
                        .isEqualTo(earliest)
                        .isEqualTo(BODY_TIME.plusMillis(400).toEpochMilli());
            }
            assertThat(RawRecordWatermarks.timeOf(RawMessage.of("not otlp", "test:2", 0),
                    TraceAnalyticsConfig.SourceFormat.OTLP_PROTO)).isEqualTo(RawRecordWatermarks.NO_TIME);
            assertThat(RawRecordWatermarks.timeOf(RawMessage.of("{\"resourceSpans\":[]}", "test:3", 0),
                    TraceAnalyticsConfig.SourceFormat.OTLP_JSON)).isEqualTo(RawRecordWatermarks.NO_TIME);
        }
    }

    private static long timeOf(RawMessage raw) {
        return RawRecordWatermarks.timeOf(raw, TraceAnalyticsConfig.SourceFormat.MPLP);
    }

    private static WatermarkGeneratorSupplier.Context context(RelativeClock clock) {
        return new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return clock;
            }
        };
    }
}
