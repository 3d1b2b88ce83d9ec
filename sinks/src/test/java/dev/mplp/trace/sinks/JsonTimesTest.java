package dev.mplp.trace.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTimesTest {

    @Test
    void everyTimestampHasMillisecondsEvenWhenTheyAreZero() {
        assertThat(JsonTimes.format(Instant.parse("2025-09-03T10:00:00Z").toEpochMilli()))
                .isEqualTo("2025-09-03T10:00:00.000Z");
        assertThat(JsonTimes.format(Instant.parse("2025-09-03T10:00:00.120Z").toEpochMilli()))
                .isEqualTo("2025-09-03T10:00:00.120Z");
        assertThat(JsonTimes.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
