package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The strict UTF-8 check: its ASCII scan eight bytes at a time against the JDK's decoder. */
class Utf8Test {

    @Test
    void findsANonAsciiByteAtEveryPositionOfEveryLength() {
        for (int length = 0; length <= 40; length++) {
            byte[] ascii = new byte[length];
            Arrays.fill(ascii, (byte) 'a');
            assertThat(Utf8.isAscii(ascii)).as("%d ASCII bytes", length).isTrue();
            assertThat(Utf8.isStrict(ascii)).isTrue();
            for (int at = 0; at < length; at++) {
                byte[] high = ascii.clone();
                high[at] = (byte) 0xE9;
                assertThat(Utf8.isAscii(high)).as("byte 0xE9 at %d of %d", at, length).isFalse();
                // a lone 0xE9 is not UTF-8, wherever it is
                assertThat(Utf8.isStrict(high)).as("a lone 0xE9 at %d of %d", at, length).isFalse();
            }
        }
    }

    @Test
    void acceptsWellFormedMultiByteTextAndRejectsWhatTheDecoderRejects() {
        assertThat(Utf8.isStrict("{\"name\":\"café ☕ 𝄞\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isStrict(new byte[] {'{', (byte) 0xC3, '}'})).as("a sequence cut short").isFalse();
        assertThat(Utf8.isStrict(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                .as("an encoded surrogate").isFalse();
        assertThat(Utf8.isStrict(new byte[] {(byte) 0xC0, (byte) 0xAF})).as("an overlong encoding").isFalse();
    }
}
