package dev.mplp.trace.cep.rules;

import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Rules changed while the job runs: the versioned JSON rule documents of a control stream (a Kafka topic, or a file
 * for {@code file:} runs), checked by {@link RuleDocuments} and broadcast to the operators that apply them, which
 * keep the document in force in broadcast state under {@link #IN_FORCE_KEY}.
 *
 * <p><b>Time.</b> A document applies to the records an operator processes after it; rules are control, not data,
 * so the control stream carries no event time and never holds back the watermark of the operators it joins.
 */
public final class RuntimeRules {

    /** The broadcast state of the operators that apply the rules: the document in force under one key. */
    public static final MapStateDescriptor<String, RuleSet> IN_FORCE =
            new MapStateDescriptor<>("rules-in-force", Types.STRING, TypeInformation.of(RuleSet.class));

    public static final String IN_FORCE_KEY = "in-force";

    /** The documents to put in force, broadcast, and the documents refused, as dead letters. */
    public record Rules(BroadcastStream<RuleSet> broadcast, DataStream<DeadLetter> rejected) {}

    private RuntimeRules() {}

    /** Wires the control stream: {@code documents} are the raw rule documents, one per record. */
    public static Rules read(DataStream<RawMessage> documents) {
        SingleOutputStreamOperator<RuleSet> accepted = documents
                .assignTimestampsAndWatermarks(neverHoldingBack())
                .name("rule-documents-time")
                .keyBy(document -> RuleDocuments.KEY)
                .process(new RuleDocuments())
                .name("rule-documents")
                .uid("rule-documents");
        return new Rules(accepted.broadcast(IN_FORCE), accepted.getSideOutput(RuleDocuments.REJECTED));
    }

    /**
     * The span messages with the thresholds of the rule document in force filled into the starts that lack them
     * ({@link RuledThresholds}); feed the result to the span session, whose rules and the detectors after it read
     * the limits of the starts.
     */
    public static DataStream<TraceEvent> withRuledThresholds(
            DataStream<TraceEvent> messages, Rules rules, TraceAnalyticsConfig config) {
        return messages.connect(rules.broadcast())
                .process(new RuledThresholds(config.detection().thresholds().scoped()))
                .returns(messages.getType())
                .name("ruled-thresholds")
                .uid("ruled-thresholds");
    }

    /**
     * The span messages with the limits of {@code detection.thresholds.scoped} filled into the starts that lack
     * them, when there is no control stream; the messages as they are when no scoped thresholds are configured.
     */
    public static DataStream<TraceEvent> withScopedThresholds(
            DataStream<TraceEvent> messages, TraceAnalyticsConfig config) {
        List<ScopedThresholds> scoped = config.detection().thresholds().scoped();
        return scoped.isEmpty()
                ? messages
                : messages.map(new ScopedThresholdsFill(scoped))
                        .returns(messages.getType())
                        .name("scoped-thresholds")
                        .uid("scoped-thresholds");
    }

    /** Watermarks at the end of time: the control stream never holds back the event time of what it joins. */
    static <T> WatermarkStrategy<T> neverHoldingBack() {
        return WatermarkStrategy.forGenerator(context -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
