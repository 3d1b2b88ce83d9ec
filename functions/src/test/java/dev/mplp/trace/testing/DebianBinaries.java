package dev.mplp.trace.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the binaries of the Debian packages the tests start ({@code prometheus}, {@code prometheus-alertmanager}),
 * which {@code docker/services/install-debian-packages.sh} installs (the README's test command runs it first).
 */
public final class DebianBinaries {

    static final String INSTALL_SCRIPT = "docker/services/install-debian-packages.sh";

    private DebianBinaries() {}

    /** The binary on the PATH, else in /usr/bin; a test fails with how to install it when it is in neither. */
    public static Path locate(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        Path usrBin = Path.of("/usr/bin", name);
        if (Files.isExecutable(usrBin)) {
            return usrBin;
        }
        throw new IllegalStateException("'" + name + "' is neither on the PATH nor in /usr/bin: install the Debian"
                + " package '" + debianPackage + "' with " + INSTALL_SCRIPT + " (the README's test command runs it"
                + " before mvn verify)");
    }
}
