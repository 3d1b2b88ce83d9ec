package dev.mplp.trace.jobs.cli;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/** Durations on the command line, written as in the configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}. */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration duration = value.startsWith("P") ? Duration.parse(value) : TimeUtils.parseDuration(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration");
            }
            return duration;
        } catch (RuntimeException e) {
            if (e instanceof CommandLine.TypeConversionException conversion) {
                throw conversion;
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (examples: 500ms, 30s, 5m, 2h)");
        }
    }
}
