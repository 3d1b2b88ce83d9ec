package dev.mplp.trace.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-09-03T10:00:00.000Z", "2025-09-03T10:00:00Z", "2025-09-03T12:00:00+02:00",
        "2025-09-03T05:00:00.000-05:00", "2025-09-03T10:00:00.000000000Z"})
    void acceptsInstantsWithAnOffset(String text) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse("2025-09-03T10:00:00Z"));
        assertThat(Timestamps.toEpochMilli(text)).isEqualTo(1_756_893_600_000L);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"2025-09-03T10:00:00.000", "2025-09-03", "10:00:00Z", "yesterday", "1756893600000",
        "2025-13-03T10:00:00Z", "2025-09-03 10:00:00Z", "2025-09-03T10:00:00+0200",
        "+999999999-12-31T23:59:59Z",
        // a dot without fraction digits, which the formatter alone would take (RFC 3339 wants at least one)
        "2026-03-02T00:00:00.Z", "2026-03-02T00:00:00.+02:00"})
    void rejectsTheRest(String text) {
        assertThat(Timestamps.isValid(text)).isFalse();
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeException.class);
    }

    /** The formatter's verdict: the instant, or null when it rejects the text. */
    private static Instant byFormatter(String text) {
        try {
            return java.time.OffsetDateTime.parse(text, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59.999999999Z", "2023-02-29T10:00:00Z", "2025-04-31T10:00:00Z",
        "2025-09-03T24:00:00Z", "2025-09-03T10:60:00Z", "2025-09-03T10:00:60Z",
        "2025-09-03T10:00:00.1234567891Z", "2025-09-03t10:00:00Z", "2025-09-03T10:00:00z", "2025-09-03T10:00:00+18:00",
        "2025-09-03T10:00:00-17:59", "2025-09-03T10:00:00-00:00", "2025-09-03T10:00:00+02:60", "0000-01-01T00:00:00Z",
        "1969-12-31T23:59:59.5Z", "2025-09-03T10:00:00+02", "2025-09-03T10:00:00+02:00:30", "2025-9-03T10:00:00Z",
        "2025-09-03T10:00:00.000Z ", "2025-09-03T1a:00:00Z"})
    void theCommonShapeAgreesWithTheFormatter(String text) {
        Instant common = Timestamps.parseCommonShape(text);
        if (common != null) {
            assertThat(common).as(text).isEqualTo(byFormatter(text));
        }
        assertThat(Timestamps.isValid(text)).as(text).isEqualTo(byFormatter(text) != null);
    }

    @org.junit.jupiter.api.Test
    void theCommonShapeAgreesWithTheFormatterOnManyInstants() {
        java.util.Random random = new java.util.Random(8);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L),
                    random.nextInt(1_000_000_000));
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds(60 * random.nextInt(-17 * 60, 17 * 60));
            String text = instant.atOffset(offset).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertThat(Timestamps.parseCommonShape(text)).as(text).isEqualTo(byFormatter(text));
            assertThat(Timestamps.parseCommonShape(text)).as(text).isNotNull();
        }
    }
}
