package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.sinks.alertmanager.AlertmanagerLocation;
import picocli.CommandLine;

/** Parses {@code --alertmanager http://HOST:PORT}, naming the problem when it cannot. */
public class AlertmanagerLocationConverter implements CommandLine.ITypeConverter<AlertmanagerLocation> {
    @Override
    public AlertmanagerLocation convert(String value) {
        try {
            return AlertmanagerLocation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
