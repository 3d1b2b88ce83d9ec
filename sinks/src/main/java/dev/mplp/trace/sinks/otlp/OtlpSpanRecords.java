package dev.mplp.trace.sinks.otlp;

import dev.mplp.trace.records.CompletedSpan;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Completed spans as Kafka record values: one OTLP {@code ExportTraceServiceRequest} each, protobuf. */
public class OtlpSpanRecords implements SerializationSchema<CompletedSpan> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(CompletedSpan span) {
        return OtlpSpanExport.request(span).toByteArray();
    }
}
