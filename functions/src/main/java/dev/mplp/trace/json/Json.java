package dev.mplp.trace.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The one configured Jackson mapper for the protocol's JSON (and for the JSON the jobs write).
 *
 * <ul>
 *   <li>Property names are {@code snake_case}: a Java {@code traceId} is {@code trace_id} on the wire.
 *   <li>Unknown properties are ignored: the protocol may grow; the original text is archived separately.
 *   <li>Strict JSON: trailing content after the top-level value and duplicate keys in an object are errors.
 *   <li>Strict scalars: no coercion between strings, numbers and booleans ({@code "5"} is not a number,
 *       {@code 5} is not a string, {@code 1.5} and {@code 1.0} are not integers), so a wrong type surfaces as a
 *       binding error with the field's path instead of a silently converted value.
 *   <li>Untyped values ({@code Map<String, Object>}) keep their JSON type: {@code String}, {@code Boolean},
 *       {@code Double}, an integer as {@code Integer}, {@code Long} or {@code BigInteger} by magnitude (Jackson's
 *       default; forcing {@code Long} would make integers beyond it unreadable), {@code List}, {@code Map} or null.
 * </ul>
 *
 * <p>The shared instance is thread-safe once configured: do not reconfigure it; take {@link #newMapper()} (or
 * {@code mapper().copy()}) for a variant.
 */
public final class Json {

    private static final JsonMapper MAPPER = newMapper();

    private Json() {}

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new mapper with the shared configuration, for callers that need to change something. */
    public static JsonMapper newMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, textual -> textual
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }
}
