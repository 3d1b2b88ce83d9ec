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
        "+999999999-12-31T23:59:59Z"})
    void rejectsTheRest(String text) {
        assertThat(Timestamps.isValid(text)).isFalse();
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeException.class);
    }
}
