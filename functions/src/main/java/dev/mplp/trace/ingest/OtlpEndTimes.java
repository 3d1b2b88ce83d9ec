package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.mplp.trace.json.Json;
import java.io.IOException;

/**
 * The earliest span end time of an OTLP trace export request, in epoch milliseconds, read without decoding the
 * request: the event time of its earliest span halves ({@link OtlpSpans}: a span's start and completion are both at
 * its end), which is what a source needs to put event time on the request before it is parsed
 * ({@link RawRecordWatermarks}). Null when the request has no span with an end time, or cannot be read; a span the
 * validator then rejects counts as well.
 */
public final class OtlpEndTimes {

    // field numbers of opentelemetry/proto/trace/v1/trace.proto
    private static final int REQUEST_RESOURCE_SPANS = 1;
    private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
    private static final int SCOPE_SPANS_SPANS = 2;
    private static final int SPAN_END_TIME_UNIX_NANO = 8;
    private static final long NANOS_PER_MILLI = 1_000_000;

    private OtlpEndTimes() {}

    /** Of an OTLP/protobuf {@code ExportTraceServiceRequest}. */
    public static Long earliestOfProto(byte[] request) {
        try {
            long earliest = request(CodedInputStream.newInstance(request));
            return earliest == Long.MAX_VALUE ? null : Math.floorDiv(earliest, NANOS_PER_MILLI);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Of an OTLP/JSON request: every {@code endTimeUnixNano} in it (a string or a number, either field name). */
    public static Long earliestOfJson(byte[] request) {
        long earliest = Long.MAX_VALUE;
        try (JsonParser parser = Json.mapper().getFactory().createParser(request)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && isEndTime(parser.currentName())) {
                    JsonToken value = parser.nextToken();
                    long nanos = value == JsonToken.VALUE_STRING ? Long.parseLong(parser.getText())
                            : value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                    if (nanos > 0) {
                        earliest = Math.min(earliest, nanos);
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return earliest == Long.MAX_VALUE ? null : Math.floorDiv(earliest, NANOS_PER_MILLI);
    }

    private static boolean isEndTime(String field) {
        return "endTimeUnixNano".equals(field) || "end_time_unix_nano".equals(field);
    }

    /** The request: its resource spans' scope spans' spans. */
    private static long request(CodedInputStream in) throws IOException {
        return earliestIn(in, REQUEST_RESOURCE_SPANS, resourceSpans -> earliestIn(
                resourceSpans, RESOURCE_SPANS_SCOPE_SPANS, scopeSpans -> earliestIn(
                        scopeSpans, SCOPE_SPANS_SPANS, OtlpEndTimes::span)));
    }

    /** The earliest that {@code reader} finds in the messages of field {@code field} up to the end or limit. */
    private static long earliestIn(CodedInputStream in, int field, Reader reader) throws IOException {
        long earliest = Long.MAX_VALUE;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                earliest = Math.min(earliest, reader.read(in));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return earliest;
    }

    private static long span(CodedInputStream in) throws IOException {
        long end = Long.MAX_VALUE;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == SPAN_END_TIME_UNIX_NANO
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
                long nanos = in.readFixed64();
                // unsigned on the wire; 0 is "not set", which the validator rejects
                end = nanos > 0 ? nanos : Long.MAX_VALUE;
            } else {
                in.skipField(tag);
            }
        }
        return end;
    }

    @FunctionalInterface
    private interface Reader {
        long read(CodedInputStream in) throws IOException;
    }
}
