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
        Instant common = parseCommonShape(text);
        if (common != null) {
            return common;
        }
        if (hasEmptyFraction(text)) {
            // the formatter takes "00.Z"; RFC 3339 wants at least one digit after the dot
            throw new DateTimeException("a decimal point without digits: " + text);
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

    /** {@link #parse} in epoch milliseconds; null for a text it does not accept (null included). */
    public static Long toEpochMilliOrNull(String text) {
        try {
            return parse(text).toEpochMilli();
        } catch (DateTimeException e) {
            return null;
        }
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

    /**
     * The shape every producer writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with every field in range,
     * read directly; null for anything else, which {@link #parse} leaves to {@link DateTimeFormatter}. Why: the
     * formatter's general parser was a tenth of the ingest step's time in the benchmark's profile (every message
     * has several time fields, each checked and then converted). It accepts nothing the formatter rejects and gives
     * the same instant (see TimestampsTest's comparison).
     */
    static Instant parseCommonShape(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + (text.charAt(at++) - '0');
            }
            if (at == start || (at < length && isDigit(text.charAt(at)))) {
                return null;
            }
            for (int i = at - start; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            // up to ±17:59 (the formatter's limit is ±18:00); -00:00 is left to the formatter
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59
                    || (offsetHours == 0 && offsetMinutes == 0 && text.charAt(at) == '-')) {
                return null;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(at) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** Whether a {@code .} is not followed by a digit (the only dot of the format starts the fraction). */
    private static boolean hasEmptyFraction(String text) {
        for (int dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
            if (dot + 1 == text.length() || !isDigit(text.charAt(dot + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The non-negative number in {@code count} ASCII digits at {@code from}; -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
