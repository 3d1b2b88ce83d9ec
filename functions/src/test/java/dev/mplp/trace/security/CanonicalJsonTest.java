package dev.mplp.trace.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples of RFC 8785 (JSON Canonicalization Scheme), read through the jobs' own JSON mapper. */
class CanonicalJsonTest {

    @Test
    void rfc8785PrimitivesExample() throws Exception {
        String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";

        String canonical = text(CanonicalJson.canonical(Json.mapper().readTree(input)));

        assertThat(canonical).isEqualTo("{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void rfc8785SortsKeysByUtf16CodeUnits() throws Exception {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With"
                + " Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

        String canonical = text(CanonicalJson.canonical(Json.mapper().readTree(input)));

        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void signedFormLeavesOutSecurityButNotTheRest() throws Exception {
        ObjectNode envelope = (ObjectNode) Json.mapper().readTree(
                "{\"b\":1.0,\"security\":{\"integrity_check\":\"x\"},\"a\":{\"security\":true}}");

        assertThat(text(CanonicalJson.signedForm(envelope))).isEqualTo("{\"a\":{\"security\":true},\"b\":1}");
        assertThat(envelope.has("security")).as("the envelope itself is unchanged").isTrue();
    }

    @Test
    void formattingAndKeyOrderDoNotChangeTheCanonicalForm() throws Exception {
        JsonNode compact = Json.mapper().readTree("{\"x\":[1,2],\"y\":\"z\"}");
        JsonNode spaced = Json.mapper().readTree("{ \"y\" : \"z\",\n \"x\" : [ 1.0 , 2E0 ] }");

        assertThat(CanonicalJson.canonical(spaced)).isEqualTo(CanonicalJson.canonical(compact));
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
