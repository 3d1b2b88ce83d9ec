package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.DeduplicateMessages;
import dev.mplp.trace.functions.DegradationDetector;
import dev.mplp.trace.functions.SpanSession;
import dev.mplp.trace.records.ServiceWindow;
import dev.mplp.trace.records.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Keyed state per unit of work, measured the way a checkpoint sees it: each detector runs in Flink's keyed operator
 * test harness on a given state backend, is filled with N keys in their steady state, and snapshotted; the
 * snapshot's size (keyed state and timers, full snapshot, uncompressed) over N is the cost per key. The detectors'
 * state for one open span: a span whose start and one update have been released (the span so far, its open
 * threshold incidents and its housekeeping timer, all in {@link SpanSession}). For one (service, operation): its
 * {@link DegradationDetector} baselines after a few windows.
 */
final class StateFootprint {

    /** The two state backends a deployment chooses from. */
    enum Backend {
        HEAP,
        ROCKSDB;

        StateBackend create() {
            if (this == HEAP) {
                return new HashMapStateBackend();
            }
            EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
            // the harness has next to no managed memory, which makes RocksDB flush its memtable constantly; give it
            // what a task slot would have (sizes do not depend on it, the time to fill 100k keys does)
            rocksDb.getMemoryConfiguration().setFixedMemoryPerSlot("256mb");
            return rocksDb;
        }
    }

    /** Snapshot bytes of {@code keys} keys. */
    record Size(long keys, long snapshotBytes) {
        double bytesPerKey() {
            return (double) snapshotBytes / keys;
        }
    }

    /** Windows fed to each (service, operation): its baselines are then filled; they do not grow with more. */
    private static final int WINDOWS_PER_OPERATION = 3;

    private static final long WINDOW_MILLIS = 60_000;

    private final TraceAnalyticsConfig config;
    private final TraceAnalyticsConfig.Detection detection;
    private final TraceEvent startTemplate;
    private final TraceEvent updateTemplate;
    private final TypeSerializer<TraceEvent> events =
            TypeInformation.of(TraceEvent.class).createSerializer(new SerializerConfigImpl());
    private final Path scratch;

    /**
     * @param startTemplate an accepted start message of the corpus; copied with new ids for each span
     * @param updateTemplate an accepted update message of the corpus, likewise
     */
    StateFootprint(TraceAnalyticsConfig config, TraceEvent startTemplate, TraceEvent updateTemplate,
            Path scratch) {
        this.config = config;
        this.detection = config.detection();
        this.startTemplate = startTemplate;
        this.updateTemplate = updateTemplate;
        this.scratch = scratch;
    }

    /**
     * Per-span state of the detectors: the span session's (the span so far and its housekeeping timer; it evaluates
     * the thresholds too). {@code spanDetails}: the job exports OTLP spans, so its messages keep the start's
     * attributes and the session holds them until the completion; else they are left out before the session, as
     * {@code TracePipeline} does.
     */
    Size openSpans(Backend backend, int spans, boolean spanDetails) throws Exception {
        return new Size(spans, fillSpans(backend, spans, spanDetails, new SpanSession(config)));
    }

    /**
     * Messages the sequencing holds until the watermark passes them: the whole message, its original JSON
     * included. The sequencing's state is this times the messages that arrive within the out-of-orderness.
     */
    Size waitingMessages(Backend backend, int messages) throws Exception {
        try (Harness<TraceEvent> harness = harness(backend, new SpanSession(config),
                SpanSession::key)) {
            for (int i = 0; i < messages; i++) {
                harness.process(span(updateTemplate, i), updateTemplate.eventTime);
            }
            return new Size(messages, harness.snapshotBytes());
        }
    }

    /** The baselines of {@code operations} (service, operation) keys. */
    Size operationBaselines(Backend backend, int operations) throws Exception {
        try (Harness<ServiceWindow> harness = harness(backend, new DegradationDetector(detection),
                DegradationDetector::key)) {
            for (int w = 0; w < WINDOWS_PER_OPERATION; w++) {
                for (int k = 0; k < operations; k++) {
                    ServiceWindow window = window(k, w);
                    harness.process(window, window.windowEnd - 1);
                }
            }
            return new Size(operations, harness.snapshotBytes());
        }
    }

    /**
     * Deduplication's state for {@code ids} distinct message ids whose event times are spread evenly over one
     * duplicate window: what it holds in the steady state, per id (digests in per-bucket sets, a timer per shard and
     * bucket). The ids are the update template's with a number appended.
     */
    Size messageIds(Backend backend, int ids) throws Exception {
        long window = config.ingest().duplicateWindow().toMillis();
        try (Harness<TraceEvent> harness = harness(backend, new DeduplicateMessages(config.ingest().duplicateWindow(),
                config.ingest().deadLetterPayloadBytes()), DeduplicateMessages::shardOf, Types.INT)) {
            for (int i = 0; i < ids; i++) {
                TraceEvent event = events.copy(updateTemplate);
                event.messageId = updateTemplate.messageId + "-" + i;
                event.eventTime = updateTemplate.eventTime + i * window / ids;
                harness.process(event, event.eventTime);
            }
            return new Size(ids, harness.snapshotBytes());
        }
    }

    private long fillSpans(Backend backend, int spans, boolean spanDetails,
            KeyedProcessFunction<String, TraceEvent, ?> function) throws Exception {
        long releasedBy = Math.max(startTemplate.eventTime, updateTemplate.eventTime);
        TraceEvent start = spanDetails ? startTemplate : startTemplate.withoutPayloadOrSpanDetails();
        TraceEvent update = spanDetails ? updateTemplate : updateTemplate.withoutPayloadOrSpanDetails();
        try (Harness<TraceEvent> harness = harness(backend, function, SpanSession::key)) {
            for (int i = 0; i < spans; i++) {
                harness.process(span(start, i), start.eventTime);
                harness.process(span(update, i), update.eventTime);
            }
            // once, after every span's messages: the spans share their templates' event times, so a message sent
            // after a release would be behind the watermark, late, and not kept (the 100,000-span rows measured
            // 10,000 spans that way)
            harness.release(releasedBy);
            return harness.snapshotBytes();
        }
    }

    /** A copy of the template, as a message of the {@code i}th span (ids unique per span, valid hex). */
    private TraceEvent span(TraceEvent template, int i) {
        TraceEvent event = events.copy(template);
        event.traceId = String.format("%032x", i + 1L);
        event.spanId = String.format("%016x", i + 1L);
        event.messageId = template.messageId + "-" + i;
        return event;
    }

    private static ServiceWindow window(int key, int index) {
        ServiceWindow window = new ServiceWindow();
        window.kind = ServiceWindow.KIND_OPERATION;
        window.serviceName = String.format("service-%06d", key);
        window.operationName = String.format("operation-%06d", key);
        window.windowStart = 1_756_893_600_000L + index * WINDOW_MILLIS;
        window.windowEnd = window.windowStart + WINDOW_MILLIS;
        window.spanCount = 120;
        window.errorSpanCount = 1;
        window.throughputOpsPerSec = 2.0;
        window.errorRatePercent = 100.0 / 120;
        window.latencyP50Ms = 80.0 + index;
        window.latencyP95Ms = 200.0 + index;
        window.latencyP99Ms = 300.0 + index;
        window.latencyMaxMs = 400.0 + index;
        return window;
    }

    private <T> Harness<T> harness(Backend backend, KeyedProcessFunction<String, T, ?> function,
            KeySelector<T, String> key) throws Exception {
        return harness(backend, function, key, Types.STRING);
    }

    private <K, T> Harness<T> harness(Backend backend, KeyedProcessFunction<K, T, ?> function,
            KeySelector<T, K> key, TypeInformation<K> keyType) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, T, ?> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key, keyType);
        harness.setStateBackend(backend.create());
        Path checkpoints = Files.createTempDirectory(Files.createDirectories(scratch), "checkpoints");
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
        harness.open();
        return new Harness<>(harness);
    }

    /** A harness whose outputs are dropped as they come (released messages would otherwise pile up in it). */
    private record Harness<T>(KeyedOneInputStreamOperatorTestHarness<?, T, ?> harness) implements AutoCloseable {
        void process(T element, long timestamp) throws Exception {
            harness.processElement(new StreamRecord<>(element, timestamp));
            if (harness.getOutput().size() > 10_000) {
                harness.getOutput().clear();
            }
        }

        void release(long watermark) throws Exception {
            harness.processWatermark(watermark);
            harness.getOutput().clear();
        }

        long snapshotBytes() throws Exception {
            return harness.snapshot(1L, 1L).getStateSize();
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }
}
