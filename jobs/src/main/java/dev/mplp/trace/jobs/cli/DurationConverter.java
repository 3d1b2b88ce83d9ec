package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Durations on the command line, in the configuration's grammar ({@link Durations}): {@code 500ms}, {@code 30s}. */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration duration;
        try {
            duration = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration");
        }
        return duration;
    }
}
