package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.Endpoint;
import picocli.CommandLine;

/** Parses {@code kafka://HOST:PORT/TOPIC} and {@code file:PATH} options, naming the problem when it cannot. */
public class EndpointConverter implements CommandLine.ITypeConverter<Endpoint> {
    @Override
    public Endpoint convert(String value) {
        try {
            return Endpoint.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
