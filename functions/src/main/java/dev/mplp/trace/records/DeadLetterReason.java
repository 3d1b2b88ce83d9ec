package dev.mplp.trace.records;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a record was not accepted. The wire names are the values of {@code reason} in the dead letters. */
public enum DeadLetterReason {
    /** Not a JSON object (syntax error, not UTF-8, empty, or a JSON value other than an object). */
    MALFORMED_JSON("malformed_json"),
    /** {@code message_type} is none of the protocol's four. */
    UNKNOWN_MESSAGE_TYPE("unknown_message_type"),
    /** {@code protocol_version} is not one of the configured {@code ingest.protocol-versions}. */
    UNSUPPORTED_PROTOCOL_VERSION("unsupported_protocol_version"),
    /** A field the jobs rely on is absent or null; {@code detail} names its path. */
    MISSING_FIELD("missing_field"),
    /** A field has the wrong JSON type or an out-of-range value; {@code detail} names its path. */
    INVALID_TYPE("invalid_type"),
    /** A time field is not an ISO-8601 instant with an offset. */
    INVALID_TIMESTAMP("invalid_timestamp"),
    /** {@code trace_id} is not 32 lowercase hex digits, or is all zeros (W3C trace context). */
    INVALID_TRACE_ID("invalid_trace_id"),
    /** {@code span_id} or {@code parent_span_id} is not 16 lowercase hex digits, or is all zeros. */
    INVALID_SPAN_ID("invalid_span_id"),
    /** Not an OTLP {@code ExportTraceServiceRequest} in the source's format, or one that holds no spans. */
    MALFORMED_OTLP("malformed_otlp"),
    /** Larger than {@code ingest.max-message-bytes}; not parsed. */
    OVERSIZE("oversize"),
    /** A {@code message_id} already accepted within {@code ingest.duplicate-window}. */
    DUPLICATE("duplicate"),
    /** {@code security.integrity_check} missing or wrong, with {@code security.integrity.mode: require}. */
    INTEGRITY_FAILED("integrity_failed"),
    /** The sender's JWT missing or not valid, with {@code security.authentication.mode: require}. */
    AUTH_FAILED("auth_failed"),
    /**
     * Validating the record failed in a way no check foresaw (any exception or error that is the record's doing,
     * a stack overflow included); {@code detail} is the exception's class. Kept rather than failing the job.
     */
    INTERNAL_ERROR("internal_error");

    private final String wireName;

    DeadLetterReason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
