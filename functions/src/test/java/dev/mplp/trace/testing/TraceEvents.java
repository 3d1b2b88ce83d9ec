package dev.mplp.trace.testing;

import dev.mplp.trace.records.Measurements;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.Thresholds;
import dev.mplp.trace.records.TraceEvent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Builds accepted {@link TraceEvent}s for operator tests, one span at a time:
 *
 * <pre>{@code
 * TraceEvents span = TraceEvents.span(TRACE, SPAN).in("checkout", "place_order");
 * harness.processElement(span.start(STARTED).record());
 * harness.processElement(span.update(SPIKE, m -> m.cpuUsagePercent = 95.0).record());
 * }</pre>
 *
 * Only starts carry the service and operation, as in the protocol.
 */
public final class TraceEvents {

    private static final AtomicLong MESSAGE_IDS = new AtomicLong();

    private final String traceId;
    private final String spanId;
    private String serviceName = "checkout";
    private String operationName = "place_order";

    private TraceEvents(String traceId, String spanId) {
        this.traceId = traceId;
        this.spanId = spanId;
    }

    public static TraceEvents span(String traceId, String spanId) {
        return new TraceEvents(traceId, spanId);
    }

    /** The service and operation the start messages name. */
    public TraceEvents in(String serviceName, String operationName) {
        this.serviceName = serviceName;
        this.operationName = operationName;
        return this;
    }

    public Built start(Instant at) {
        return start(at, limits -> {});
    }

    /** A start giving the limits the consumer sets. */
    public Built start(Instant at, Consumer<Thresholds> limits) {
        Built start = event(MessageType.START, at, values -> {});
        start.event.serviceName = serviceName;
        start.event.operationName = operationName;
        start.event.spanKind = "server";
        start.event.thresholds = new Thresholds();
        limits.accept(start.event.thresholds);
        return start;
    }

    public Built update(Instant at, Consumer<Measurements> values) {
        return event(MessageType.UPDATE, at, values);
    }

    public Built metrics(Instant at, Consumer<Measurements> values) {
        return event(MessageType.METRICS, at, values);
    }

    public Built completion(Instant at, Consumer<Measurements> values) {
        Built completion = event(MessageType.COMPLETE, at, values);
        completion.event.statusCode = "ok";
        completion.event.success = true;
        return completion;
    }

    private Built event(MessageType type, Instant at, Consumer<Measurements> values) {
        TraceEvent event = new TraceEvent();
        event.messageId = "msg-" + MESSAGE_IDS.incrementAndGet();
        event.messageType = type;
        event.protocolVersion = ProtocolMessages.PROTOCOL_VERSION;
        event.eventTime = at.toEpochMilli();
        event.traceId = traceId;
        event.spanId = spanId;
        event.measurements = new Measurements();
        values.accept(event.measurements);
        event.payload = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Built(event);
    }

    /** One event, to adjust further or to hand to a harness. */
    public static final class Built {
        public final TraceEvent event;

        private Built(TraceEvent event) {
            this.event = event;
        }

        public Built failed() {
            event.statusCode = "error";
            event.success = false;
            return this;
        }

        public Built messageId(String messageId) {
            event.messageId = messageId;
            return this;
        }

        public StreamRecord<TraceEvent> record() {
            return new StreamRecord<>(event, event.eventTime);
        }
    }
}
