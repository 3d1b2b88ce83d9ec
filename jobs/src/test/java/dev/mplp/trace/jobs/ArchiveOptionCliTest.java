package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A bad {@code --archive} is a usage error (exit code 2) whose message names the value and the expected forms. */
class ArchiveOptionCliTest {

    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"hdfs://nn/archive", "s3://Not_A_Bucket/x", "s3://", "file:"})
    void aBadArchiveLocationIsAUsageErrorNamingIt(String archive) {
        assertThat(run("stream", "--source", "file:in", "--alerts", "file:a", "--dlq", "file:d", "--archive", archive))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--archive").contains(archive);
    }

    @Test
    void anArchiveThatIsAFileIsAUsageError() throws Exception {
        Path file = Files.createTempFile("archive", ".txt");
        try {
            assertThat(run("stream", "--source", "file:" + file, "--alerts", "file:a", "--dlq", "file:d",
                            "--archive", "file:" + file))
                    .isEqualTo(TraceAnalytics.USAGE);
            assertThat(err.toString()).contains("is a file");
        } finally {
            Files.delete(file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs://nn/archive", "s3://Not_A_Bucket/x", "file:"})
    void aBadArchiveToReprocessIsAUsageErrorNamingIt(String archive) {
        assertThat(run("reprocess", "--archive", archive, "--from", "2025-09-03T10:00:00Z",
                        "--to", "2025-09-03T11:00:00Z", "--alerts", "file:a"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--archive").contains(archive);
    }

    @Test
    void anOutputArchiveInsideTheArchiveReadIsAUsageErrorThatNamesTheWayToAllowIt(@TempDir Path dir) {
        assertThat(run("reprocess", "--archive", "file:" + dir, "--from", "2025-09-03T10:00:00Z",
                        "--to", "2025-09-03T11:00:00Z", "--output-archive", "file:" + dir.resolve("backfill")))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("is inside the archive that is read").contains("--into-source-archive");
    }

    private int run(String... args) {
        CommandLine commandLine = TraceAnalytics.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
