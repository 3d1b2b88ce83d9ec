package dev.mplp.trace.cep.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.RawMessage;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by one constant key ({@link #KEY}: the rules are one sequence), reads the rule documents of the control
 * stream and passes on those to put in force; refuses the others to {@link #REJECTED} as dead letters whose
 * {@code detail} starts with {@code rule document:} and names the problem, so the rules in force stay as they are.
 *
 * <p>The reasons are the ingest's: {@code malformed_json} for a document that is not JSON; {@code missing_field}
 * for one without a positive {@code version}; {@code invalid_type} for one not of the {@link RuleSet} shape (an
 * unknown field, a wrong type), not newer than the document in force, with a negative or non-finite threshold, or
 * with a silence that gives no matcher (it would silence everything), a scoped entry without thresholds, a regular
 * expression that does not compile or a time that is not ISO-8601.
 */
public class RuleDocuments extends KeyedProcessFunction<String, RawMessage, RuleSet> {

    /** The one key of the rule documents. */
    public static final String KEY = "rules";

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-rule-documents") {};

    private static final ObjectMapper MAPPER = Json.newMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Version of the document in force; null before the first. */
    private transient ValueState<Long> inForce;

    @Override
    public void open(OpenContext openContext) {
        inForce = getRuntimeContext().getState(new ValueStateDescriptor<>("version-in-force", Types.LONG));
    }

    @Override
    public void processElement(RawMessage document, Context ctx, Collector<RuleSet> out) throws Exception {
        String text = document.body == null ? "" : new String(document.body, StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            reject(document, text, DeadLetterReason.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage(), ctx);
            return;
        }
        if (tree == null || tree.isMissingNode()) {
            reject(document, text, DeadLetterReason.MALFORMED_JSON, "empty", ctx);
            return;
        }
        if (!tree.isObject()) {
            reject(document, text, DeadLetterReason.INVALID_TYPE, "not a JSON object", ctx);
            return;
        }
        RuleSet rules;
        try {
            rules = MAPPER.treeToValue(tree, RuleSet.class);
        } catch (JsonProcessingException e) {
            reject(document, text, DeadLetterReason.INVALID_TYPE, "not a rule document: " + e.getOriginalMessage(), ctx);
            return;
        }
        if (rules == null || rules.version <= 0) {
            reject(document, text, DeadLetterReason.MISSING_FIELD, "version: a positive version is required", ctx);
            return;
        }
        String problem = problemWith(rules, inForce.value());
        if (problem != null) {
            reject(document, text, DeadLetterReason.INVALID_TYPE, problem, ctx);
            return;
        }
        inForce.update(rules.version);
        out.collect(rules);
    }

    /** Why the document cannot be put in force, or null when it can. */
    static String problemWith(RuleSet rules, Long versionInForce) {
        if (versionInForce != null && rules.version <= versionInForce) {
            return "version: " + rules.version + " is not newer than version " + versionInForce + " in force";
        }
        String thresholds = rules.thresholds == null ? null : rules.thresholds.problem();
        if (thresholds != null) {
            return "thresholds." + thresholds;
        }
        if (rules.scopedThresholds == null) {
            return "scoped_thresholds: must be a list (empty for none)";
        }
        for (int i = 0; i < rules.scopedThresholds.length; i++) {
            String problem = ScopedThresholds.problemWith(rules.scopedThresholds[i]);
            if (problem != null) {
                return "scoped_thresholds[" + i + "]: " + problem;
            }
        }
        if (rules.silences == null) {
            return "silences: must be a list (empty for none)";
        }
        for (int i = 0; i < rules.silences.length; i++) {
            Silence silence = rules.silences[i];
            String problem = silence == null ? "must give a service, an operation or an alert type" : silence.problem();
            if (problem != null) {
                return "silences[" + i + "]: " + problem;
            }
        }
        return null;
    }

    private static void reject(
            RawMessage document, String text, DeadLetterReason reason, String detail, Context ctx) {
        DeadLetter rejected = new DeadLetter(
                reason,
                "rule document: " + detail,
                null,
                document.sourcePosition,
                document.ingestTime,
                text,
                document.sizeBytes,
                document.isTruncated());
        ctx.output(REJECTED, rejected);
    }
}
