package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes the completed spans on unchanged and counts each in its span series: calls and the duration histogram,
 * the RED metrics of the OpenTelemetry Collector's spanmetrics connector ({@link SpanSeriesHistograms}).
 */
public class SpanMetrics extends RichMapFunction<CompletedSpan, CompletedSpan> {

    private final TraceAnalyticsConfig.SpanMetrics settings;
    private transient SpanSeriesHistograms histograms;

    public SpanMetrics(TraceAnalyticsConfig.SpanMetrics settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        histograms = new SpanSeriesHistograms(getRuntimeContext().getMetricGroup(), settings);
    }

    @Override
    public CompletedSpan map(CompletedSpan span) {
        histograms.record(span);
        return span;
    }
}
