package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --source-format} and {@code --otlp-out}: a wrong value is a usage error naming it, before the job starts. */
class OtlpOptionsCliTest {

    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void anUnknownSourceFormatIsNamed() throws IOException {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");

        assertThat(run("stream", "--source", "file:" + input, "--alerts", "file:a", "--dlq", "file:d",
                        "--source-format", "zipkin"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("source-format").contains("zipkin");
    }

    @Test
    void otlpOutMustBeAKafkaTopic() throws IOException {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");

        assertThat(run("stream", "--source", "file:" + input, "--alerts", "file:" + dir.resolve("a"),
                        "--dlq", "file:" + dir.resolve("d"), "--otlp-out", "file:" + dir.resolve("spans")))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--otlp-out").contains("kafka://HOST:PORT/TOPIC");
    }

    private int run(String... args) {
        CommandLine commandLine = TraceAnalytics.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
