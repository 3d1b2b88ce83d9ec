package dev.mplp.trace.sinks.otlp;

import com.google.protobuf.ByteString;
import dev.mplp.trace.records.SpanSeriesPoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One data point of the span metrics as an OTLP {@code ExportMetricsServiceRequest}, shaped as the Collector's
 * spanmetrics connector writes it: resource {@code service.name}; the metrics {@code traces.span.metrics.calls}
 * (monotonic sum) and {@code traces.span.metrics.duration} (explicit-bucket histogram, unit {@code s}, with the
 * slowest span of the interval as the exemplar: trace and span id), both delta temporality over the export
 * interval; data point attributes {@code span.name}, {@code span.kind}, {@code status.code} and the extra
 * dimensions under their attribute keys.
 */
public final class OtlpSpanMetricsExport implements Serializable {

    public static final String CALLS = "traces.span.metrics.calls";
    public static final String DURATION = "traces.span.metrics.duration";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final List<String> dimensions;
    private final List<Double> boundsSeconds;

    /** {@code dimensions}: the attribute keys of the label values after the four spanmetrics dimensions. */
    public OtlpSpanMetricsExport(List<String> dimensions, List<Double> boundsSeconds) {
        this.dimensions = List.copyOf(dimensions);
        this.boundsSeconds = List.copyOf(boundsSeconds);
    }

    public ExportMetricsServiceRequest request(SpanSeriesPoint point) {
        List<KeyValue> attributes = new ArrayList<>();
        attributes.add(attribute("span.name", point.labelValues[1]));
        attributes.add(attribute("span.kind", point.labelValues[2]));
        attributes.add(attribute("status.code", point.labelValues[3]));
        for (int i = 0; i < dimensions.size(); i++) {
            attributes.add(attribute(dimensions.get(i), point.labelValues[4 + i]));
        }
        long start = point.startTime * NANOS_PER_MILLI;
        long end = point.endTime * NANOS_PER_MILLI;

        Metric calls = Metric.newBuilder()
                .setName(CALLS)
                .setSum(Sum.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .setIsMonotonic(true)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .addAllAttributes(attributes)
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(end)
                                .setAsInt(point.count)))
                .build();
        HistogramDataPoint.Builder histogram = HistogramDataPoint.newBuilder()
                .addAllAttributes(attributes)
                .setStartTimeUnixNano(start)
                .setTimeUnixNano(end)
                .setCount(point.count)
                .setSum(point.sumSeconds)
                .setMin(point.minSeconds)
                .setMax(point.maxSeconds)
                .addAllExplicitBounds(boundsSeconds);
        for (long bucketCount : point.bucketCounts) {
            histogram.addBucketCounts(bucketCount);
        }
        if (point.exemplarTraceId != null && point.exemplarSpanId != null) {
            histogram.addExemplars(Exemplar.newBuilder()
                    .setTimeUnixNano(point.exemplarTime * NANOS_PER_MILLI)
                    .setAsDouble(point.exemplarSeconds)
                    .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(point.exemplarTraceId)))
                    .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(point.exemplarSpanId))));
        }
        Metric duration = Metric.newBuilder()
                .setName(DURATION)
                .setUnit("s")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(histogram))
                .build();

        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name", point.labelValues[0])))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(OtlpSpanExport.DEFAULT_SCOPE))
                                .addMetrics(calls)
                                .addMetrics(duration)))
                .build();
    }

    /** The Kafka record key: the service, so that a service's points stay in order on one partition. */
    public static String key(SpanSeriesPoint point) {
        return point.labelValues[0];
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
