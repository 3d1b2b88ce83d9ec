package dev.mplp.trace.ingest;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.ingest.w3c.W3cContext;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.SecurityCheck;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and checks every raw record (protocol JSON, or OTLP requests, per {@code ingest.source-format}); W3C
 * {@code trace_state} and {@code baggage} of starts are cut to their valid entries, the dropped ones counted by the
 * metric {@code w3cEntriesDropped} (groups {@code header}, {@code reason}): accepted messages go on as {@link TraceEvent}s, every other record leaves
 * through {@link #DEAD_LETTERS} with its reason. Never throws on input, so a bad record cannot fail, stall or
 * restart the job: whatever a record makes a validator throw becomes an {@code internal_error} dead letter, unless
 * it is not the record's doing (see {@link RecordFailures}).
 */
public class ValidateMessages extends ProcessFunction<RawMessage, TraceEvent> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final RecordValidator validator;
    private final boolean spanDetails;
    private transient Counter accepted;
    private transient Map<W3cContext.Dropped, Counter> w3cDropped;
    private transient LongCounter recordCount;
    private transient Map<DeadLetterReason, Counter> rejected;
    private transient LongCounter readCount;
    private transient Map<DeadLetterReason, LongCounter> rejectedCounts;
    private transient Map<SecurityCheck, Counter> unverified;
    private transient Map<SecurityCheck, LongCounter> unverifiedCounts;

    /**
     * @param spanDetails false when no output of the job reads the span details (see
     *     {@link TraceEvent#dropSpanDetails}): the accepted messages then leave without them, so they are not
     *     written as JSON nor sent through the shuffles for nothing (the W3C members dropped are counted still)
     * @throws dev.mplp.trace.security.SecretException when a key the security settings need is missing: checked
     *     here, before the job is submitted, so that it fails at once
     */
    public ValidateMessages(TraceAnalyticsConfig.Ingest settings, SecurityConfig security, boolean spanDetails) {
        this(validator(settings, security, spanDetails), spanDetails);
    }

    ValidateMessages(RecordValidator validator, boolean spanDetails) {
        this.validator = validator;
        this.spanDetails = spanDetails;
    }

    /** The validator of the configured {@code ingest.source-format}. */
    static RecordValidator validator(TraceAnalyticsConfig.Ingest settings, SecurityConfig security,
            boolean spanDetails) {
        TraceAnalyticsConfig.SourceFormat format = settings.sourceFormat() == null
                ? TraceAnalyticsConfig.SourceFormat.MPLP
                : settings.sourceFormat();
        if (format == TraceAnalyticsConfig.SourceFormat.MPLP) {
            MessageSecurity messageSecurity = new MessageSecurity(security);
            messageSecurity.load();
            MessageValidator messages = new MessageValidator(
                    settings.maxMessageBytes(),
                    settings.deadLetterPayloadBytes(),
                    new HashSet<>(settings.protocolVersions()),
                    messageSecurity,
                    spanDetails);
            return raw -> List.of(messages.validate(raw));
        }
        return new OtlpRequestValidator(format == TraceAnalyticsConfig.SourceFormat.OTLP_JSON,
                settings.maxMessageBytes(), settings.deadLetterPayloadBytes());
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        accepted = metrics.counter("messagesAccepted");
        rejected = new EnumMap<>(DeadLetterReason.class);
        rejectedCounts = new EnumMap<>(DeadLetterReason.class);
        readCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.READ, readCount);
        recordCount = new LongCounter();
        getRuntimeContext().addAccumulator(IngestCounts.RECORDS, recordCount);
        w3cDropped = new HashMap<>();
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
        List<Validated> results;
        try {
            results = validator.validate(raw);
        } catch (Throwable failure) {
            // a validator's own guard missed it (MessageValidator has one): rethrown unless the record caused it
            results = List.of(internalError(raw, failure));
        }
        // one record may hold many messages (an OTLP request: two per span): "read" counts what it held
        recordCount.add(1);
        readCount.add(results.size());
        for (Validated validated : results) {
            Validated result = validated;
            List<W3cContext.Dropped> dropped = List.of();
            if (result.isAccepted()) {
                try {
                    if (spanDetails) {
                        dropped = W3cContext.apply(result.event());
                    } else {
                        dropped = W3cContext.dropped(result.event());
                        result.event().dropSpanDetails();
                    }
                } catch (Throwable failure) {
                    result = internalError(raw, failure);
                }
            }
            if (result.isAccepted()) {
                accepted.inc();
                for (SecurityCheck check : result.unverified()) {
                    unverified.get(check).inc();
                    unverifiedCounts.get(check).add(1);
                }
                for (W3cContext.Dropped entry : dropped) {
                    w3cDropped.computeIfAbsent(entry, d -> getRuntimeContext().getMetricGroup()
                                    .addGroup("header", d.header())
                                    .addGroup("reason", d.reason())
                                    .counter("w3cEntriesDropped"))
                            .inc();
                }
                out.collect(result.event());
            } else {
                rejected.get(result.deadLetter().reason).inc();
                rejectedCounts.get(result.deadLetter().reason).add(1);
                ctx.output(DEAD_LETTERS, result.deadLetter());
            }
        }
    }

    /** A per-record failure as a dead letter; rethrows one that is not the record's doing. */
    private static Validated internalError(RawMessage raw, Throwable failure) {
        return Validated.rejected(RecordFailures.deadLetter(raw, RecordFailures.recordsFault(failure, raw)));
    }
}
