package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.sinks.archive.ArchiveLocation;
import picocli.CommandLine;

/** Parses {@code --archive s3://BUCKET/PREFIX} and {@code --archive file:DIR}, naming the problem when it cannot. */
public class ArchiveLocationConverter implements CommandLine.ITypeConverter<ArchiveLocation> {
    @Override
    public ArchiveLocation convert(String value) {
        try {
            return ArchiveLocation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
