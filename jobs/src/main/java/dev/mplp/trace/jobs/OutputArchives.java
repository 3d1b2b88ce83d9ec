package dev.mplp.trace.jobs;

import dev.mplp.trace.jobs.sources.ArchiveInput;
import dev.mplp.trace.sinks.archive.ArchiveLocation;

/** Keeps a reprocessing run's output archive apart from the archive it reads, unless told otherwise. */
final class OutputArchives {

    private OutputArchives() {}

    static void requireApartFromSource(ArchiveInput source, ArchiveLocation output, boolean intoSourceArchive) {
        if (intoSourceArchive || !(source instanceof ArchiveInput.Files files)) {
            return;
        }
        String read = withoutTrailingSlash(files.location().normalize().toString());
        String written = withoutTrailingSlash(output.uri().normalize().toString());
        if (written.equals(read) || written.startsWith(read + "/")) {
            throw new IllegalArgumentException("--output-archive " + output + " is "
                    + (written.equals(read) ? "" : "inside ") + "the archive that is read (--archive " + source
                    + "); give a location apart from it, or --into-source-archive to add the summary tables to it");
        }
    }

    private static String withoutTrailingSlash(String uri) {
        String trimmed = uri;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        // file:/x and file:///x name the same directory
        return trimmed.replaceFirst("^file:///", "file:/");
    }
}
