package dev.mplp.trace.functions;

import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes the first message with a {@code message_id} and dead-letters every other one seen while the id is
 * remembered: from the first copy until the watermark passes the end of the first copy's event-time bucket plus the
 * duplicate window (so at least the window, at most the window and one bucket, a tenth of it, after the first copy).
 * Event time, so that replaying an archive finds the same duplicates as the live run did.
 *
 * <p>Bounded state: keyed by a shard of the id space ({@link #shardOf}: {@value #SHARDS} shards), each shard holds,
 * per bucket of event time, the ids first accepted in it as 128-bit digests ({@link MessageIdSet}: 20 to 40 bytes of
 * heap per id, whatever the id's length), and one timer per (shard, bucket) drops a bucket's ids at once; the previous
 * version kept each id as a string key with its first copy's source position and a timer of its own. What that costs:
 * the dead letter no longer names where the accepted copy came from.
 *
 * <p>Which copy is accepted is the first to reach this operator. That is the same in every run, restore and
 * parallelism when the copies of a message come from one source split (one Kafka partition: producers key by trace id,
 * as {@code generate}'s Kafka writer does; one file), since a split is read in order by one subtask and a record's way
 * from there to its shard keeps that order. Copies in different splits race: which is kept may vary, but exactly one is
 * (see the README's ingest section).
 */
public class DeduplicateMessages extends KeyedProcessFunction<Integer, TraceEvent, TraceEvent> {

    public static final OutputTag<DeadLetter> DUPLICATES = new OutputTag<>("duplicates") {};

    /** Shards of the id space: enough that a shard's sets stay small (RocksDB writes a bucket's set whole). */
    public static final int SHARDS = 1 << 12;
    /** The duplicate window is cut into this many buckets of event time. */
    static final int BUCKETS_PER_WINDOW = 10;

    private final long windowMillis;
    private final long bucketMillis;
    private final int deadLetterPayloadBytes;

    /** Bucket start (epoch ms) → the ids first accepted in that bucket. */
    private transient MapState<Long, MessageIdSet> buckets;

    private transient Counter duplicates;
    private transient LongCounter acceptedCount;
    private transient LongCounter duplicateCount;

    public DeduplicateMessages(Duration window, int deadLetterPayloadBytes) {
        this.windowMillis = window.toMillis();
        this.bucketMillis = Math.max(1, windowMillis / BUCKETS_PER_WINDOW);
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
    }

    /** The key of a message's shard: a function of its id alone, the same in every JVM. */
    public static int shardOf(TraceEvent event) {
        return Math.floorMod(event.messageId.hashCode(), SHARDS);
    }

    @Override
    public void open(OpenContext openContext) {
        buckets = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "ids-by-bucket", Types.LONG, TypeInformation.of(MessageIdSet.class)));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        acceptedCount = new LongCounter();
        duplicateCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.ACCEPTED, acceptedCount);
        getRuntimeContext().addAccumulator(IngestCounts.deadLetters(DeadLetterReason.DUPLICATE), duplicateCount);
    }

    @Override
    public void processElement(TraceEvent event, Context ctx, Collector<TraceEvent> out) throws Exception {
        long[] digest = MessageIdSet.digest(event.messageId);
        for (Map.Entry<Long, MessageIdSet> bucket : buckets.entries()) {
            if (bucket.getValue().contains(digest)) {
                duplicates.inc();
                duplicateCount.add(1);
                ctx.output(DUPLICATES, duplicateOf(event));
                return;
            }
        }
        long bucketStart = Math.floorDiv(event.eventTime, bucketMillis) * bucketMillis;
        MessageIdSet ids = buckets.get(bucketStart);
        if (ids == null) {
            ids = new MessageIdSet();
            ctx.timerService().registerEventTimeTimer(forgetAt(bucketStart));
        }
        ids.add(digest);
        buckets.put(bucketStart, ids);
        acceptedCount.add(1);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TraceEvent> out) throws Exception {
        buckets.remove(timestamp - windowMillis - bucketMillis);
    }

    /** When a bucket's ids are forgotten: the window after the bucket's end. */
    private long forgetAt(long bucketStart) {
        return bucketStart + bucketMillis + windowMillis;
    }

    private DeadLetter duplicateOf(TraceEvent event) {
        byte[] bytes = event.payload;
        boolean cut = bytes.length > deadLetterPayloadBytes;
        String raw = new String(bytes, 0, cut ? deadLetterPayloadBytes : bytes.length, StandardCharsets.UTF_8);
        return new DeadLetter(
                DeadLetterReason.DUPLICATE,
                "message_id already accepted",
                event.messageId,
                event.sourcePosition,
                event.ingestTime,
                raw,
                bytes.length,
                cut)
                .withEventTime(event.eventTime);
    }
}
