package dev.mplp.trace.cep.rules;

import dev.mplp.trace.config.ScopedThresholds;
import dev.mplp.trace.config.Silence;
import dev.mplp.trace.records.Thresholds;
import java.util.Arrays;
import java.util.Objects;

/**
 * One versioned rule document of the control stream, as it is in force: the complete set of runtime rules (a
 * document replaces the one before it; what it leaves out is back to the configuration). A Flink POJO, also the
 * document's JSON shape (snake_case):
 *
 * <pre>{@code
 * {"version": 3,
 *  "thresholds": {"cpu_usage_percent": 70, "max_latency_p95_ms": 1500},
 *  "scoped_thresholds": [{"service": "checkout", "operation": "~charge|refund",
 *                         "thresholds": {"duration_ms": 3000}}],
 *  "silences": [{"service": "checkout", "alert_type": "sustained_breach"}]}
 * }</pre>
 */
public class RuleSet {
    /** Increases with every document; a document not newer than the one in force is refused. */
    public long version;
    /**
     * Limits for the spans whose trace declares none, instead of {@code detection.thresholds.defaults}: filled into
     * the start messages of spans that start after the document is in force (a trace's own limits still win).
     * Null, or a null field: the configured default.
     */
    public Thresholds thresholds;
    /**
     * Limits for the spans of some services and operations, the first that applies; before
     * {@code detection.thresholds.scoped}, and both before {@link #thresholds}. Never null.
     */
    public ScopedThresholds[] scopedThresholds = new ScopedThresholds[0];
    /** Alerts not to send, besides {@code lifecycle.silences}; never null. */
    public Silence[] silences = new Silence[0];

    public RuleSet() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleSet other
                && version == other.version
                && Objects.equals(thresholds, other.thresholds)
                && Arrays.equals(scopedThresholds, other.scopedThresholds)
                && Arrays.equals(silences, other.silences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, Arrays.hashCode(silences));
    }

    @Override
    public String toString() {
         return "RuleSet{v" + version + " " + thresholds + " scoped=" + Arrays.toString(scopedThresholds) + " silences=" + Arrays.toString(silences) + "}";
    }
}
