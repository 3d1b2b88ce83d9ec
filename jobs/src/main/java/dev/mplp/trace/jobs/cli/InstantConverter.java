package dev.mplp.trace.jobs.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Instants on the command line, ISO-8601 in UTC ({@code 2025-09-03T10:00:00Z}); a date or a time without its zone is
 * refused with the full form to write instead, not with the parser's exception text.
 */
public class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 instant; write "
                    + suggestion(value) + " (date, time and the zone Z for UTC)");
        }
    }

    private static String suggestion(String value) {
        try {
            return LocalDate.parse(value) + "T00:00:00Z";
        } catch (DateTimeParseException notADate) {
            // not a bare date either
        }
        try {
            return LocalDateTime.parse(value) + "Z";
        } catch (DateTimeParseException notALocalTime) {
            return "e.g. 2025-09-03T10:00:00Z";
        }
    }
}
