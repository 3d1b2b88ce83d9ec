package dev.mplp.trace.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The protocol's time format: an ISO-8601 date-time with an offset or {@code Z}
 * ({@code 2025-09-03T10:00:00.000Z}, {@code 2025-09-03T12:00:00+02:00}), representable in epoch milliseconds.
 */
public final class Timestamps {

    private Timestamps() {}

    /**
     * Parses a protocol time.
     *
     * @throws DateTimeException when the text is null, has no offset, is not ISO-8601, or lies outside the epoch
     *     millisecond range
     */
    public static Instant parse(String text) {
        if (text == null) {
            throw new DateTimeException("no time");
        }
        Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        try {
            instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new DateTimeException("out of the epoch millisecond range: " + text, e);
        }
        return instant;
    }

    /** {@link #parse} in epoch milliseconds. */
    public static long toEpochMilli(String text) {
        return parse(text).toEpochMilli();
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
