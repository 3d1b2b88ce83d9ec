package dev.mplp.trace.sinks;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The one timestamp format of every JSON output: UTC, always with milliseconds ({@code 2025-09-03T10:00:00.000Z}),
 * so that readers that infer types ({@code read_json_auto}, Spark, jq) see one format in every record;
 * {@link Instant#toString} leaves out zero fractions and would write two. The generator writes every timestamp of its
 * traffic with it too.
 */
public final class JsonTimes {

    // an instant printed as such: the same text as the pattern yyyy-MM-dd'T'HH:mm:ss.SSS'Z' in UTC, without the
    // zoned date-time and BigDecimal the pattern builds for every call (12 % of the allocation of the benchmark's
    // latency run, where the generator writes about ten timestamps per message)
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private JsonTimes() {}

    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
