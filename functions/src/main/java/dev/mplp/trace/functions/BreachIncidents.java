package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.Alert;
import dev.mplp.trace.records.AlertResolution;
import dev.mplp.trace.records.AlertState;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.Exemplar;
import dev.mplp.trace.records.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (service, operation) ({@link #key}): turns the per-span breaches of the operation into incidents per
 * (service, operation, rule), so that a fault that slows a thousand spans pages once.
 *
 * <p><b>Inputs.</b> The per-span alerts ({@code threshold_breach}, {@code incomplete_span}: an alert with a span id;
 * each triggered record is one span breaching its own limit of the rule at its {@code evaluationTimestamp}; resolved
 * records are not counted), the {@code sustained_breach} incidents of the operation, and its completed spans (the
 * denominator, counted at their end time).
 *
 * <p><b>Evaluation.</b> At the end {@code e} of every {@code detection.windows.size} window (aligned to the epoch), over
 * the sliding window {@code [e − detection.incidents.window, e)}: a rule's incident holds when at least
 * {@code min-breaches} spans and at least {@code min-share} of the operation's spans breached it (the spans are those
 * completed in the window, at least those that breached), or when a {@code sustained_breach} of the rule's metric
 * is open. It is triggered at the first evaluation where it holds, resolved ({@link AlertResolution#RECOVERED}) at
 * the first where it no longer does; the alert lifecycle after this function holds the resolution for its recovery
 * period. The incident carries the count and share of breaching spans, the worst value (the span furthest past its
 * own limit), the window, when it started (its {@code startedAt}, part of its id: the first breach of the last
 * step window, the one that tipped it; or the start of the sustained breach that opened it) and the
 * {@code exemplars} worst spans with a link to their trace.
 *
 * <p><b>Same input, same incidents.</b> Inputs are kept by the window of their own event time (not by when they
 * come) and the window ending at {@code e} is evaluated at the event-time timer {@code e − 1}, from the inputs
 * before {@code e} only: in a streaming run every such input has come before the watermark passes {@code e − 1}
 * (each upstream operator emits its records before the watermark they precede), in a batch run all have; inputs of
 * later windows that came already wait for their own evaluation.
 *
 * <p><b>State.</b> Per window of {@code detection.windows.size}: the completed spans counted, and per rule the breach
 * count, the earliest breach and the worst spans; the sustained incidents waiting for their evaluation, those open,
 * and the open incidents. A window's counts are dropped once no evaluation covers it; nothing is left once no
 * incident is open and every input has been evaluated.
 */
public class BreachIncidents extends KeyedCoProcessFunction<String, Alert, CompletedSpan, Alert> {

    /** The type of the incidents a sustained breach opens: the rule its metric is checked against per span. */
    static final String SUSTAINED_TYPE = "sustained_breach";

    /**
     * Furthest past its own limit first; among equals (a duration is first seen just past its limit, at the update
     * that crosses it) the latest first: the breaches of what goes on now, not a stray one from before.
     */
    private static final Comparator<Exemplar> WORST_FIRST = Comparator.comparingDouble(BreachIncidents::pastLimit)
            .reversed()
            .thenComparing(Comparator.comparingLong((Exemplar e) -> e.eventTime).reversed())
            .thenComparing(e -> e.traceId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.spanId, Comparator.nullsFirst(Comparator.naturalOrder()));
    private static final Comparator<Alert> APPLY_ORDER = Comparator.<Alert>comparingLong(a -> a.evaluationTimestamp)
            .thenComparing(a -> a.evaluationResult == AlertState.RESOLVED ? 0 : 1)
            .thenComparing(a -> a.alertId, Comparator.nullsLast(Comparator.naturalOrder()));

    private final long stepMillis;
    private final long windowMillis;
    private final TraceAnalyticsConfig.DetectionIncidents incidents;
    private final int exemplarCount;
    private final String traceUrl;

    /** Completed spans by the start of the step window they ended in. */
    private transient MapState<Long, Long> spans;
    /** Breaches by {@link #slot}: step window, alert type and rule. */
    private transient MapState<String, RuleBreaches> breaches;
    /** Sustained-breach records waiting for their evaluation, by event time. */
    private transient MapState<Long, List<Alert>> sustainedWaiting;
    /** The open sustained breaches, by the rule they hold open. */
    private transient MapState<String, Alert> sustainedOpen;
    /** The open incidents by alert type and rule. */
    private transient MapState<String, Alert> open;
    /** The end of the last window evaluated, while anything is left to evaluate. */
    private transient ValueState<Long> evaluatedUntil;

    public BreachIncidents(TraceAnalyticsConfig.Detection detection) {
        TraceAnalyticsConfig.DetectionIncidents incidents = detection.incidents();
        this.stepMillis = detection.windows().size().toMillis();
        // whole steps: each evaluation covers the same steps, whatever the window's length
        this.windowMillis = Math.max(1, -Math.floorDiv(-incidents.window().toMillis(), stepMillis)) * stepMillis;
        this.incidents = incidents;
        this.exemplarCount = incidents.exemplars();
        this.traceUrl = incidents.traceUrl().isEmpty() ? null : incidents.traceUrl();
    }

    /** The key of both inputs: service and operation, as the RED windows key them. */
    public static String key(Alert alert) {
        return RedWindowAggregate.key(String.valueOf(alert.serviceName), String.valueOf(alert.operationName));
    }

    /** True for what this function counts or follows: a per-span alert or a sustained breach, with its names. */
    public static boolean isInput(Alert alert) {
        return alert.serviceName != null && alert.operationName != null
                && (alert.spanId != null || SUSTAINED_TYPE.equals(alert.alertType));
    }

    /** True for a per-span breach: a triggered alert about one span, evidence of an incident. */
    public static boolean isBreach(Alert alert) {
        return alert.spanId != null && alert.evaluationResult == AlertState.TRIGGERED;
    }

    @Override
    public void open(OpenContext openContext) {
        spans = getRuntimeContext().getMapState(new MapStateDescriptor<>("spans", Types.LONG, Types.LONG));
        breaches = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "breaches", Types.STRING, TypeInformation.of(RuleBreaches.class)));
        sustainedWaiting = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "sustained-waiting", Types.LONG, Types.LIST(TypeInformation.of(Alert.class))));
        sustainedOpen = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "sustained-open", Types.STRING, TypeInformation.of(Alert.class)));
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "open", Types.STRING, TypeInformation.of(Alert.class)));
        evaluatedUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("evaluated-until", Types.LONG));
    }

    @Override
    public void processElement1(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        if (SUSTAINED_TYPE.equals(alert.alertType) && alert.spanId == null) {
            List<Alert> atTime = sustainedWaiting.get(alert.evaluationTimestamp);
            atTime = atTime == null ? new ArrayList<>(1) : atTime;
            atTime.add(alert);
            sustainedWaiting.put(alert.evaluationTimestamp, atTime);
            evaluateAfter(alert.evaluationTimestamp, ctx);
            return;
        }
        if (!isBreach(alert)) {
            return;
        }
        long step = stepOf(alert.evaluationTimestamp);
        String slot = slot(step, alert.alertType, alert.alertRuleId);
        RuleBreaches rule = breaches.get(slot);
        if (rule == null) {
            rule = RuleBreaches.of(step, alert);
        }
        rule.add(alert, exemplar(alert), exemplarCount);
        breaches.put(slot, rule);
        evaluateAfter(alert.evaluationTimestamp, ctx);
    }

    @Override
    public void processElement2(CompletedSpan span, Context ctx, Collector<Alert> out) throws Exception {
        long step = stepOf(span.endTime);
        Long counted = spans.get(step);
        spans.put(step, counted == null ? 1 : counted + 1);
        evaluateAfter(span.endTime, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long end = timestamp + 1;
        Long evaluated = evaluatedUntil.value();
        if (evaluated != null && end <= evaluated) {
            return; // evaluated already, at the end of the input
        }
        boolean more = evaluateAt(end, out);
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the input has ended, and a batch run fires no timer registered now: the windows after it are
            // evaluated here, in a streaming run as well
            while (more) {
                end += stepMillis;
                more = evaluateAt(end, out);
            }
        } else if (more) {
            ctx.timerService().registerEventTimeTimer(end + stepMillis - 1);
        }
        if (more || !open.isEmpty() || !sustainedOpen.isEmpty() || !sustainedWaiting.isEmpty()) {
            evaluatedUntil.update(end);
        } else {
            evaluatedUntil.clear();
        }
    }

    /**
     * Evaluates the window ending at {@code end}; returns true while counts remain or an incident stands on them:
     * the next windows are to be evaluated (they may resolve it, then forget them). An incident that an open
     * sustained breach holds waits for that breach's own record.
     */
    private boolean evaluateAt(long end, Collector<Alert> out) throws Exception {
        Map<String, Alert> endedQuiet = applySustained(end);
        Map<String, RuleBreaches> inWindow = inWindow(end);
        long spanCount = spansInWindow(end);
        List<String> subjects = new ArrayList<>(inWindow.keySet());
        for (String subject : open.keys()) {
            if (!subjects.contains(subject)) {
                subjects.add(subject);
            }
        }
        for (Map.Entry<String, Alert> sustained : sustainedOpen.entries()) {
            String subject = subject(ThresholdRule.ALERT_TYPE, sustained.getKey());
            if (!subjects.contains(subject)) {
                subjects.add(subject);
            }
        }
        subjects.sort(null);
        for (String subject : subjects) {
            RuleBreaches lastStep = breaches.get(slot(end - stepMillis, subject));
            evaluate(subject, inWindow.get(subject), lastStep, spanCount, end, endedQuiet, out);
        }
        forgetBefore(end + stepMillis - windowMillis);
        return !spans.isEmpty() || !breaches.isEmpty() || heldByBreaches();
    }

    private boolean heldByBreaches() throws Exception {
        for (String subject : open.keys()) {
            if (!subject.equals(subject(ThresholdRule.ALERT_TYPE, ruleIdOf(subject)))
                    || !sustainedOpen.contains(ruleIdOf(subject))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param lastStep the breaches of the last step of the window (null for none): an incident that fires starts at
     *     its earliest, the first breach of the step that tipped it (not a stray one minutes before the fault)
     * @param endedQuiet the sustained breaches, by rule, that ended before {@code end} because their subject was no
     *     longer evaluated: an incident they held that ends now ends the same way
     */
    private void evaluate(String subject, RuleBreaches window, RuleBreaches lastStep, long spanCount, long end,
            Map<String, Alert> endedQuiet, Collector<Alert> out) throws Exception {
        long breaching = window == null ? 0 : window.count;
        long denominator = Math.max(spanCount, breaching);
        double share = denominator == 0 ? 0 : (double) breaching / denominator;
        // a threshold rule's incident, which a sustained breach of its metric may hold open (or have ended quiet)
        boolean ofThresholdRule = subject.equals(subject(ThresholdRule.ALERT_TYPE, ruleIdOf(subject)));
        Alert sustained = ofThresholdRule ? sustainedOpen.get(ruleIdOf(subject)) : null;
        Alert incident = open.get(subject);
        // the operation's own share and count for this rule, where a scoped entry gives them
        String service = window != null ? window.serviceName : incident != null ? incident.serviceName : null;
        String operation = window != null ? window.operationName : incident != null ? incident.operationName : null;
        double minShare = incidents.minShareOf(service, operation, ruleIdOf(subject));
        int minBreaches = incidents.minBreachesOf(service, operation, ruleIdOf(subject));
        boolean byShare = breaching >= minBreaches && share >= minShare;
        if (incident == null && (byShare || sustained != null)) {
            incident = trigger(window, sustained, breaching, denominator, share, end);
            if (lastStep != null && sustained == null) {
                startAt(incident, lastStep.firstAt);
            }
            open.put(subject, incident);
            out.collect(incident.copy());
        } else if (incident != null && !byShare && sustained == null) {
            open.remove(subject);
            Alert resolved = resolve(incident, breaching, denominator, share, end, minShare, minBreaches);
            Alert quiet = ofThresholdRule ? endedQuiet.get(ruleIdOf(subject)) : null;
            if (quiet != null) {
                resolved.resolution = AlertResolution.IDLE_EXPIRED;
                resolved.alertMessage = quiet.alertMessage + "; " + countText(resolved);
            }
            out.collect(resolved);
        } else if (incident != null && window != null) {
            incident.exemplars = worst(Stream.concat(
                    Arrays.stream(incident.exemplars), Arrays.stream(window.worst)), exemplarCount);
            worstValue(incident, incident.exemplars);
            open.put(subject, incident);
        }
    }

    private Alert trigger(RuleBreaches window, Alert sustained, long breaching, long spanCount, double share, long end) {
        Alert incident = new Alert();
        if (window != null) {
            incident.alertType = window.alertType;
            incident.alertRuleId = window.ruleId;
            incident.alertRuleName = window.ruleName;
            incident.severity = window.severity;
            incident.metric = window.metric;
            incident.serviceName = window.serviceName;
            incident.operationName = window.operationName;
            incident.recommendedActions = window.recommendedActions;
            incident.startedAt = window.firstAt;
        } else {
            ThresholdRule.Limit rule = ruleOfMetric(sustained.metric);
            incident.alertType = ThresholdRule.ALERT_TYPE;
            incident.alertRuleId = rule.id;
            incident.alertRuleName = rule.ruleName;
            incident.severity = rule.severity;
            incident.metric = rule.metric;
            incident.serviceName = sustained.serviceName;
            incident.operationName = sustained.operationName;
            incident.recommendedActions = sustained.recommendedActions;
            incident.startedAt = sustained.startedAt;
            incident.thresholdValue = sustained.thresholdValue;
            incident.actualValue = sustained.actualValue;
            incident.deviationPercent = sustained.deviationPercent;
        }
        if (sustained != null) {
            incident.startedAt = Math.min(incident.startedAt, sustained.startedAt);
        }
        incident.evaluationResult = AlertState.TRIGGERED;
        incident.exemplars = window == null ? new Exemplar[0] : window.worst.clone();
        worstValue(incident, incident.exemplars);
        counts(incident, breaching, spanCount, share, end);
        incident.alertMessage = countText(incident) + (sustained == null ? "" : "; " + sustained.alertMessage);
        startAt(incident, incident.startedAt);
        return incident;
    }

    /** Sets when the incident started, which names it. */
    private static void startAt(Alert incident, long startedAt) {
        incident.startedAt = startedAt;
        incident.alertId = Alert.idOf(incident.alertType, incident.serviceName + "/" + incident.operationName,
                incident.alertRuleId, startedAt);
    }

    private Alert resolve(
            Alert incident, long breaching, long spanCount, double share, long end, double minShare, int minBreaches) {
        Alert resolved = incident.copy();
        resolved.evaluationResult = AlertState.RESOLVED;
        resolved.resolution = AlertResolution.RECOVERED;
        counts(resolved, breaching, spanCount, share, end);
        resolved.alertMessage = "back below " + Math.round(minShare * 100 * 100) / 100.0 + " % and " + minBreaches
                + " spans: " + countText(resolved);
        return resolved;
    }

    private void counts(Alert incident, long breaching, long spanCount, double share, long end) {
        incident.breachingSpans = breaching;
        incident.spanCount = spanCount;
        incident.breachShare = Math.round(share * 10_000) / 10_000.0;
        incident.windowStart = end - windowMillis;
        incident.windowEnd = end;
        incident.evaluationTimestamp = Math.max(end, incident.startedAt);
    }

    /** The incident's worst value: that of its first exemplar (the furthest past its own limit). */
    private static void worstValue(Alert incident, Exemplar[] exemplars) {
        if (exemplars.length > 0) {
            incident.actualValue = exemplars[0].actualValue;
            incident.thresholdValue = exemplars[0].thresholdValue;
            incident.deviationPercent = AlertTexts.deviationPercent(exemplars[0].actualValue,
                    exemplars[0].thresholdValue);
        }
    }

    private static String countText(Alert incident) {
        String text = incident.breachingSpans + " of " + incident.spanCount + " spans ("
                + AlertTexts.number(Math.round(incident.breachShare * 10_000) / 100.0) + " %) of "
                + incident.serviceName + " " + incident.operationName + " broke their " + incident.alertRuleId
                + " limit in the " + AlertTexts.text(Duration.ofMillis(incident.windowEnd - incident.windowStart))
                + " to " + Instant.ofEpochMilli(incident.windowEnd);
        if (incident.actualValue != null && incident.thresholdValue != null && incident.exemplars.length > 0) {
            text += "; the worst " + AlertTexts.number(incident.actualValue) + " " + incident.metric + " against "
                    + AlertTexts.number(incident.thresholdValue);
        }
        return text;
    }

    /**
     * Applies the sustained-breach records before {@code end}, in event-time order; returns those that ended a held
     * breach as {@link AlertResolution#IDLE_EXPIRED} (its subject no longer evaluated), by the rule they held.
     */
    private Map<String, Alert> applySustained(long end) throws Exception {
        List<Alert> due = new ArrayList<>();
        List<Long> applied = new ArrayList<>();
        for (Map.Entry<Long, List<Alert>> waiting : sustainedWaiting.entries()) {
            if (waiting.getKey() < end) {
                due.addAll(waiting.getValue());
                applied.add(waiting.getKey());
            }
        }
        for (Long at : applied) {
            sustainedWaiting.remove(at);
        }
        due.sort(APPLY_ORDER);
        Map<String, Alert> endedQuiet = new TreeMap<>();
        for (Alert sustained : due) {
            ThresholdRule.Limit rule = ruleOfMetric(sustained.metric);
            if (rule == null) {
                continue;
            }
            if (sustained.evaluationResult == AlertState.TRIGGERED) {
                sustainedOpen.put(rule.id, sustained);
                endedQuiet.remove(rule.id);
            } else {
                Alert held = sustainedOpen.get(rule.id);
                if (held != null && held.alertId.equals(sustained.alertId)) {
                    sustainedOpen.remove(rule.id);
                    if (sustained.resolution == AlertResolution.IDLE_EXPIRED) {
                        endedQuiet.put(rule.id, sustained);
                    }
                }
            }
        }
        return endedQuiet;
    }

    /** Per subject, the breaches of the window ending at {@code end}: summed, the worst spans merged. */
    private Map<String, RuleBreaches> inWindow(long end) throws Exception {
        Map<String, RuleBreaches> bySubject = new TreeMap<>();
        List<RuleBreaches> steps = new ArrayList<>();
        for (RuleBreaches step : breaches.values()) {
            if (step.stepStart >= end - windowMillis && step.stepStart < end) {
                steps.add(step);
            }
        }
        steps.sort(Comparator.comparingLong(step -> step.stepStart));
        for (RuleBreaches step : steps) {
            bySubject.merge(subject(step.alertType, step.ruleId), step.copy(),
                    (sum, more) -> sum.merge(more, exemplarCount));
        }
        return bySubject;
    }

    private long spansInWindow(long end) throws Exception {
        long count = 0;
        for (Map.Entry<Long, Long> step : spans.entries()) {
            if (step.getKey() >= end - windowMillis && step.getKey() < end) {
                count += step.getValue();
            }
        }
        return count;
    }

    /** Drops the steps that start before {@code from}: no evaluation covers them any more. */
    private void forgetBefore(long from) throws Exception {
        List<Long> oldSpans = new ArrayList<>();
        for (Long step : spans.keys()) {
            if (step < from) {
                oldSpans.add(step);
            }
        }
        for (Long step : oldSpans) {
            spans.remove(step);
        }
        List<String> oldBreaches = new ArrayList<>();
        for (Map.Entry<String, RuleBreaches> slot : breaches.entries()) {
            if (slot.getValue().stepStart < from) {
                oldBreaches.add(slot.getKey());
            }
        }
        for (String slot : oldBreaches) {
            breaches.remove(slot);
        }
    }

    /** Registers the evaluation of the step window that holds {@code eventTime}. */
    private void evaluateAfter(long eventTime, Context ctx) {
        ctx.timerService().registerEventTimeTimer(stepOf(eventTime) + stepMillis - 1);
    }

    private long stepOf(long eventTime) {
        return Math.floorDiv(eventTime, stepMillis) * stepMillis;
    }

    private Exemplar exemplar(Alert breach) {
        double value = breach.actualValue == null ? 0 : breach.actualValue;
        double limit = breach.thresholdValue == null ? 0 : breach.thresholdValue;
        return Exemplar.of(breach.traceId, breach.spanId, value, limit, breach.evaluationTimestamp, traceUrl == null
                ? null
                : traceUrl.replace("{trace_id}", breach.traceId).replace("{span_id}", breach.spanId));
    }

    static String slot(long stepStart, String alertType, String ruleId) {
        return slot(stepStart, subject(alertType, ruleId));
    }

    private static String slot(long stepStart, String subject) {
        return stepStart + "|" + subject;
    }

    static String subject(String alertType, String ruleId) {
        return alertType + "|" + ruleId;
    }

    private static String ruleIdOf(String subject) {
        return subject.substring(subject.indexOf('|') + 1);
    }

    /** The per-span rule a sustained breach of {@code metric} is about: the first rule of that metric. */
    static ThresholdRule.Limit ruleOfMetric(String metric) {
        for (ThresholdRule.Limit rule : ThresholdRule.Limit.values()) {
            if (rule.metric.equals(metric)) {
                return rule;
            }
        }
        return null;
    }

    /** How far past its own limit a span went, as a fraction of the limit (its value, for a limit of 0). */
    static double pastLimit(Exemplar exemplar) {
        double past = Math.abs(exemplar.actualValue - exemplar.thresholdValue);
        return exemplar.thresholdValue == 0 ? past : past / Math.abs(exemplar.thresholdValue);
    }

    static Exemplar[] worst(Stream<Exemplar> exemplars, int count) {
        return exemplars.sorted(WORST_FIRST).distinct().limit(count).toArray(Exemplar[]::new);
    }

    /** The breaches of one rule of the operation within one step window. A Flink POJO. */
    public static class RuleBreaches {
        public long stepStart;
        public String alertType;
        public String ruleId;
        public String ruleName;
        public String metric;
        public Severity severity;
        public String serviceName;
        public String operationName;
        public String[] recommendedActions = new String[0];
        /** Breaching spans counted (a span that breaches the rule twice counts twice). */
        public long count;
        /** Event time of the earliest breach, epoch ms. */
        public long firstAt = Long.MAX_VALUE;
        /** The worst spans, worst first. */
        public Exemplar[] worst = new Exemplar[0];

        public RuleBreaches() {}

        static RuleBreaches of(long stepStart, Alert breach) {
            RuleBreaches rule = new RuleBreaches();
            rule.stepStart = stepStart;
            rule.alertType = breach.alertType;
            rule.ruleId = breach.alertRuleId;
            rule.ruleName = breach.alertRuleName;
            rule.metric = breach.metric;
            rule.severity = breach.severity == null ? Severity.WARNING : breach.severity;
            rule.serviceName = breach.serviceName;
            rule.operationName = breach.operationName;
            rule.recommendedActions = breach.recommendedActions == null ? new String[0] : breach.recommendedActions;
            return rule;
        }

        void add(Alert breach, Exemplar exemplar, int exemplars) {
            count++;
            firstAt = Math.min(firstAt, breach.evaluationTimestamp);
            worst = worst(Stream.concat(Arrays.stream(worst), Stream.of(exemplar)), exemplars);
        }

        RuleBreaches merge(RuleBreaches more, int exemplars) {
            count += more.count;
            firstAt = Math.min(firstAt, more.firstAt);
            worst = worst(Stream.concat(Arrays.stream(worst), Arrays.stream(more.worst)), exemplars);
            return this;
        }

        RuleBreaches copy() {
            RuleBreaches copy = of(stepStart, new Alert());
            copy.alertType = alertType;
            copy.ruleId = ruleId;
            copy.ruleName = ruleName;
            copy.metric = metric;
            copy.severity = severity;
            copy.serviceName = serviceName;
            copy.operationName = operationName;
            copy.recommendedActions = recommendedActions;
            copy.count = count;
            copy.firstAt = firstAt;
            copy.worst = worst.clone();
            return copy;
        }
    }
}
