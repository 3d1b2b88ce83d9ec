package dev.mplp.trace.testing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OTLP the project did not write: spans recorded by the OpenTelemetry Java SDK (one tracer provider per service,
 * its resource carrying {@code service.name}, resource and scope each with a schema URL) and encoded by the SDK's own OTLP exporter marshaler, as protobuf
 * (what the Collector's Kafka exporter writes with {@code otlp_proto}) or OTLP/JSON.
 */
public final class OtelSpans implements AutoCloseable {

    /** The schema URL of every span's resource. */
    public static final String RESOURCE_SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";
    /** The schema URL of every span's instrumentation scope. */
    public static final String SCOPE_SCHEMA_URL = "https://opentelemetry.io/schemas/1.36.0";

    private final List<SpanData> finished = new ArrayList<>();
    private final Map<String, SdkTracerProvider> providers = new HashMap<>();
    private final SpanExporter collector = new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            finished.addAll(spans);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    };

    /**
     * Records one finished span.
     *
     * @param parent null for a root span
     * @param details sets attributes, events and status on the span before it ends
     */
    public SpanData span(
            String service,
            String operation,
            SpanKind kind,
            SpanContext parent,
            Instant start,
            Instant end,
            Consumer<Span> details) {
        SpanBuilder builder = providers
                .computeIfAbsent(service, this::provider)
                .tracerBuilder("dev.mplp.trace.tests")
                .setInstrumentationVersion("1.0")
                .setSchemaUrl(SCOPE_SCHEMA_URL)
                .build()
                .spanBuilder(operation)
                .setSpanKind(kind)
                .setStartTimestamp(start);
        if (parent == null) {
            builder.setNoParent();
        } else {
            builder.setParent(Context.root().with(Span.wrap(parent)));
        }
        Span span = builder.startSpan();
        details.accept(span);
        span.end(end);
        return finished.get(finished.size() - 1);
    }

    /** A span with no attributes, status {@code ok} or {@code error}. */
    public SpanData span(String service, String operation, Instant start, Instant end, boolean failed) {
        return span(service, operation, SpanKind.SERVER, null, start, end,
                s -> s.setStatus(failed ? StatusCode.ERROR : StatusCode.OK));
    }

    private SdkTracerProvider provider(String service) {
        return SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.builder()
                        .put("service.name", service)
                        .put("service.instance.id", service + "-1")
                        .build(), RESOURCE_SCHEMA_URL))
                .addSpanProcessor(SimpleSpanProcessor.create(collector))
                .build();
    }

    /** One {@code ExportTraceServiceRequest}, protobuf. */
    public static byte[] protoRequest(Collection<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One {@code ExportTraceServiceRequest}, OTLP/JSON. */
    public static String jsonRequest(Collection<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeJsonTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        providers.values().forEach(SdkTracerProvider::close);
    }
}
