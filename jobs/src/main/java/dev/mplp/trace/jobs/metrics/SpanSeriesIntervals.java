package dev.mplp.trace.jobs.metrics;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.CompletedSpan;
import dev.mplp.trace.records.SpanSeriesPoint;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The span metrics for OTLP export: per span series and tumbling interval of event time
 * ({@code span-metrics.export-interval}), the count, sum, min, max and bucket counts of the durations in seconds and
 * the slowest span as the exemplar. In event time, so that a replay exports the same points. Unlike the Prometheus
 * series, not capped by {@code span-metrics.cardinality-limit}: each series' state lives for one interval only.
 */
public final class SpanSeriesIntervals {

    private SpanSeriesIntervals() {}

    public static DataStream<SpanSeriesPoint> aggregate(
            DataStream<CompletedSpan> completedSpans, TraceAnalyticsConfig.SpanMetrics settings) {
        return completedSpans
                .keyBy(new SeriesKey(settings.dimensions()))
                .window(TumblingEventTimeWindows.of(settings.exportInterval()))
                .aggregate(new PointAggregate(settings), new IntervalOfPoint())
                .name("span-metrics-intervals")
                .uid("span-metrics-intervals");
    }

    /** The label values of the span's series, joined by a character no label holds. */
    static final class SeriesKey implements KeySelector<CompletedSpan, String> {
        private final List<String> dimensions;
        private transient SpanSeries series;

        SeriesKey(List<String> dimensions) {
            this.dimensions = List.copyOf(dimensions);
        }

        @Override
        public String getKey(CompletedSpan span) {
            if (series == null) {
                series = new SpanSeries(dimensions);
            }
            return String.join("\u001f", series.labelValues(span));
        }
    }

    static final class PointAggregate implements AggregateFunction<CompletedSpan, SpanSeriesPoint, SpanSeriesPoint> {
        private final List<String> dimensions;
        private final double[] boundsSeconds;
        private transient SpanSeries series;

        PointAggregate(TraceAnalyticsConfig.SpanMetrics settings) {
            dimensions = List.copyOf(settings.dimensions());
            boundsSeconds = settings.bucketsSeconds().stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public SpanSeriesPoint createAccumulator() {
            SpanSeriesPoint point = new SpanSeriesPoint();
            point.bucketCounts = new long[boundsSeconds.length + 1];
            point.minSeconds = Double.POSITIVE_INFINITY;
            point.maxSeconds = Double.NEGATIVE_INFINITY;
            return point;
        }

        @Override
        public SpanSeriesPoint add(CompletedSpan span, SpanSeriesPoint point) {
            if (point.labelValues == null) {
                if (series == null) {
                    series = new SpanSeries(dimensions);
                }
                point.labelValues = series.labelValues(span).toArray(String[]::new);
            }
            double seconds = span.durationMs / 1000.0;
            point.count++;
            point.sumSeconds += seconds;
            point.minSeconds = Math.min(point.minSeconds, seconds);
            point.maxSeconds = Math.max(point.maxSeconds, seconds);
            point.bucketCounts[SpanDurationHistogram.bucketIndex(boundsSeconds, seconds)]++;
            if (point.exemplarTraceId == null || seconds > point.exemplarSeconds) {
                point.exemplarTraceId = span.traceId;
                point.exemplarSpanId = span.spanId;
                point.exemplarSeconds = seconds;
                point.exemplarTime = span.endTime;
            }
            return point;
        }

        @Override
        public SpanSeriesPoint getResult(SpanSeriesPoint point) {
            return point;
        }

        @Override
        public SpanSeriesPoint merge(SpanSeriesPoint a, SpanSeriesPoint b) {
            SpanSeriesPoint slower = b.exemplarTraceId != null && b.exemplarSeconds > a.exemplarSeconds ? b : a;
            SpanSeriesPoint merged = createAccumulator();
            merged.labelValues = a.labelValues != null ? a.labelValues : b.labelValues;
            merged.count = a.count + b.count;
            merged.sumSeconds = a.sumSeconds + b.sumSeconds;
            merged.minSeconds = Math.min(a.minSeconds, b.minSeconds);
            merged.maxSeconds = Math.max(a.maxSeconds, b.maxSeconds);
            for (int i = 0; i < merged.bucketCounts.length; i++) {
                merged.bucketCounts[i] = a.bucketCounts[i] + b.bucketCounts[i];
            }
            merged.exemplarTraceId = slower.exemplarTraceId;
            merged.exemplarSpanId = slower.exemplarSpanId;
            merged.exemplarSeconds = slower.exemplarSeconds;
            merged.exemplarTime = slower.exemplarTime;
            return merged;
        }
    }

    /** Stamps the point with its interval. */
    static final class IntervalOfPoint
            extends ProcessWindowFunction<SpanSeriesPoint, SpanSeriesPoint, String, TimeWindow> {
        @Override
        public void process(
                String key, Context context, Iterable<SpanSeriesPoint> points, Collector<SpanSeriesPoint> out) {
            SpanSeriesPoint point = points.iterator().next();
            point.startTime = context.window().getStart();
            point.endTime = context.window().getEnd();
            out.collect(point);
        }
    }
}
