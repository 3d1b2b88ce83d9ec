package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar trace-analytics.jar} runs the program in a child JVM ({@link Launcher}); killing the launcher with
 * {@code SIGKILL}, which no shutdown hook sees, ends the child too instead of leaving it running orphaned.
 */
class LauncherKillITCase {

    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));

    @TempDir
    Path dir;

    @Test
    void aKilledLauncherTakesItsProgramWithIt() throws Exception {
        Path log = dir.resolve("generate.txt");
        // an hour of traffic in real time: runs until it is stopped
        Process launcher = new ProcessBuilder(List.of(
                        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                        "-Xmx128m", "-jar", JAR.toString(),
                        "generate", "--output", "file:" + dir.resolve("traffic.jsonl"), "--duration", "1h",
                        "--rate", "1", "--pace", "1"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ProcessHandle program = null;
        try {
            program = awaitProgram(launcher, dir.resolve("traffic.jsonl"), log);

            launcher.toHandle().destroyForcibly();
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the launcher was killed").isTrue();

            ProcessHandle orphan = program;
            assertThat(orphan.onExit().handle((ended, failure) -> !orphan.isAlive()).get(60, TimeUnit.SECONDS))
                    .as("the program ended with its launcher:\n%s", Files.readString(log))
                    .isTrue();
        } finally {
            launcher.destroyForcibly();
            if (program != null) {
                program.destroyForcibly();
            }
        }
    }

    /** The launcher's child JVM, once it has opened its output (so that it is past its start-up). */
    private static ProcessHandle awaitProgram(Process launcher, Path output, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && launcher.isAlive()) {
            Optional<ProcessHandle> child = launcher.children().findFirst();
            if (child.isPresent() && Files.exists(output)) {
                return child.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the launcher started no program:\n" + Files.readString(log));
    }
}
