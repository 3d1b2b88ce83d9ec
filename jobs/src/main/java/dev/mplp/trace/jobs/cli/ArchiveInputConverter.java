package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.jobs.sources.ArchiveInput;
import picocli.CommandLine;

/** Parses {@code reprocess --archive}: {@code file:PATH}, {@code s3://BUCKET/KEY} or {@code kafka://HOST:PORT/TOPIC}. */
public class ArchiveInputConverter implements CommandLine.ITypeConverter<ArchiveInput> {
    @Override
    public ArchiveInput convert(String value) {
        try {
            return ArchiveInput.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
