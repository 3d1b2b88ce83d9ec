package dev.mplp.trace.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The bytes a message's integrity check covers: the RFC 8785 (JSON Canonicalization Scheme) form of the envelope
 * without its top-level {@code security} object, in UTF-8. JCS sorts keys by their UTF-16 code units, writes no
 * white space, numbers as ECMAScript does ({@code 1.0} is {@code 1}) and strings with minimal escaping, so a
 * message re-serialized by any JSON library keeps its signature.
 */
public final class CanonicalJson {

    /** The field left out of the signed form: it carries the signature itself. */
    public static final String SECURITY_FIELD = "security";

    private CanonicalJson() {}

    /** The canonical UTF-8 bytes of {@code envelope} without {@code security}; the envelope is not changed. */
    public static byte[] signedForm(JsonNode envelope) {
        JsonNode unsigned = envelope;
        if (envelope instanceof ObjectNode object && object.has(SECURITY_FIELD)) {
            ObjectNode copy = object.deepCopy();
            copy.remove(SECURITY_FIELD);
            unsigned = copy;
        }
        return canonical(unsigned);
    }

    /** The RFC 8785 canonical UTF-8 bytes of a JSON value. */
    public static byte[] canonical(JsonNode value) {
        try {
            return new JsonCanonicalizer(Json.mapper().writeValueAsString(value)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        } catch (IOException e) {
            throw new UncheckedIOException("not canonicalizable: " + e.getMessage(), e);
        }
    }
}
