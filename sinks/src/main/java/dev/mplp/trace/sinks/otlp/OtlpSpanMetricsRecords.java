package dev.mplp.trace.sinks.otlp;

import dev.mplp.trace.records.SpanSeriesPoint;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Span metrics as Kafka record values: one OTLP {@code ExportMetricsServiceRequest} each, protobuf. */
public class OtlpSpanMetricsRecords implements SerializationSchema<SpanSeriesPoint> {
    private static final long serialVersionUID = 1L;

    private final OtlpSpanMetricsExport export;

    public OtlpSpanMetricsRecords(OtlpSpanMetricsExport export) {
        this.export = export;
    }

    @Override
    public byte[] serialize(SpanSeriesPoint point) {
        return export.request(point).toByteArray();
    }
}
