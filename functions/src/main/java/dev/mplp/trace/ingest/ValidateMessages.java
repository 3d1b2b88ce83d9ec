package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and checks every raw record: accepted messages go on as {@link TraceEvent}s, every other record leaves
 * through {@link #DEAD_LETTERS} with its reason. Never throws on input, so a bad record cannot fail, stall or
 * restart the job.
 */
public class ValidateMessages extends ProcessFunction<RawMessage, TraceEvent> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final MessageValidator validator;
    private transient Counter accepted;
    private transient Map<DeadLetterReason, Counter> rejected;
    private transient LongCounter readCount;
    private transient Map<DeadLetterReason, LongCounter> rejectedCounts;

    public ValidateMessages(TraceAnalyticsConfig.Ingest settings) {
        this.validator = new MessageValidator(
                settings.maxMessageBytes(),
                settings.deadLetterPayloadBytes(),
                new HashSet<>(settings.protocolVersions()));
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        accepted = metrics.counter("messagesAccepted");
        rejected = new EnumMap<>(DeadLetterReason.class);
        rejectedCounts = new EnumMap<>(DeadLetterReason.class);
        readCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.READ, readCount);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            rejected.put(reason, metrics.addGroup("reason", reason.wireName()).counter("deadLetters"));
            if (reason != DeadLetterReason.DUPLICATE) {
                LongCounter count = new LongCounter();
                getRuntimeContext().addAccumulator(IngestCounts.deadLetters(reason), count);
                rejectedCounts.put(reason, count);
            }
        }
    }

    @Override
    public void processElement(RawMessage raw, Context ctx, Collector<TraceEvent> out) {
        readCount.add(1);
        Validated result = validator.validate(raw);
        if (result.isAccepted()) {
            accepted.inc();
            out.collect(result.event());
        } else {
            rejected.get(result.deadLetter().reason).inc();
            rejectedCounts.get(result.deadLetter().reason).add(1);
            ctx.output(DEAD_LETTERS, result.deadLetter());
        }
    }
}
