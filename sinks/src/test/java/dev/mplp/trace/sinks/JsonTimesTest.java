package dev.mplp.trace.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
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

    @Test
    void writesWhatTheDateTimePatternWrites() {
        DateTimeFormatter pattern = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);
        long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(from, to);
            assertThat(JsonTimes.format(millis)).isEqualTo(pattern.format(Instant.ofEpochMilli(millis)));
        }
        assertThat(JsonTimes.format(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
    }
}
