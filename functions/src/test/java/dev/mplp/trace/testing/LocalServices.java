package dev.mplp.trace.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files of a local service are: named by a system property (as the build passes them), else found above. */
final class LocalServices {

    private LocalServices() {}

    /**
     * @param property system property naming the directory (failsafe sets it)
     * @param relative the directory relative to the repository root, looked for from the working directory up (a
     *     module directory under Maven, the repository root in an IDE)
     * @param marker an entry the directory must hold
     * @param howToGetIt what to do when it is missing, for the message
     */
    static Path locate(String property, String relative, String marker, String howToGetIt) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (Files.exists(dir.resolve(marker))) {
                return dir;
            }
            throw new IllegalStateException(dir + " (-D" + property + ") holds no " + marker + ": " + howToGetIt);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate.resolve(marker))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + "/" + marker + " above " + Path.of("").toAbsolutePath()
                + ": " + howToGetIt + " (or set -D" + property + ")");
    }
}
