package dev.mplp.trace.sinks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one timestamp format of every JSON output: UTC, always with milliseconds ({@code 2025-09-03T10:00:00.000Z}),
 * so that readers that infer types ({@code read_json_auto}, Spark, jq) see one format in every record;
 * {@link Instant#toString} leaves out zero fractions and would write two.
 */
public final class JsonTimes {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JsonTimes() {}

    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
