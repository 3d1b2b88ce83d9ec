package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.SecurityCheck;
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
    private transient Map<SecurityCheck, Counter> unverified;
    private transient Map<SecurityCheck, LongCounter> unverifiedCounts;

    public ValidateMessages(TraceAnalyticsConfig.Ingest settings) {
        this(settings, SecurityConfig.disabled());
    }

    /**
     * @throws dev.mplp.trace.security.SecretException when a key the security settings need is missing: checked
     *     here, before the job is submitted, so that it fails at once
     */
    public ValidateMessages(TraceAnalyticsConfig.Ingest settings, SecurityConfig security) {
        MessageSecurity messageSecurity = new MessageSecurity(security);
        messageSecurity.load();
        this.validator = new MessageValidator(
                settings.maxMessageBytes(),
                settings.deadLetterPayloadBytes(),
                new HashSet<>(settings.protocolVersions()),
                messageSecurity);
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
        unverified = new EnumMap<>(SecurityCheck.class);
        unverifiedCounts = new EnumMap<>(SecurityCheck.class);
        for (SecurityCheck check : SecurityCheck.values()) {
            unverified.put(check, metrics.addGroup("check", check.wireName()).counter("securityFlags"));
            LongCounter count = new LongCounter();
            getRuntimeContext().addAccumulator(IngestCounts.unverified(check), count);
            unverifiedCounts.put(check, count);
        }
    }

    @Override
    public void processElement(RawMessage raw, Context ctx, Collector<TraceEvent> out) {
        readCount.add(1);
        Validated result = validator.validate(raw);
        if (result.isAccepted()) {
            accepted.inc();
            for (SecurityCheck check : result.unverified()) {
                unverified.get(check).inc();
                unverifiedCounts.get(check).add(1);
            }
            out.collect(result.event());
        } else {
            rejected.get(result.deadLetter().reason).inc();
            rejectedCounts.get(result.deadLetter().reason).add(1);
            ctx.output(DEAD_LETTERS, result.deadLetter());
        }
    }
}
