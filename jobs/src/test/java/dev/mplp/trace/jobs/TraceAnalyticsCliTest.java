package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's contract: help everywhere, and exit code 2 with a message naming the problem. */
class TraceAnalyticsCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"stream", "generate", "demo"})
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: trace-analytics " + command);
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("a command is needed");
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        assertThat(run("stream", "--alerts", "file:a", "--dlq", "file:d")).isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--source");
    }

    @Test
    void aLocationOfAnUnknownKindIsNamed() {
        assertThat(run("stream", "--source", "ftp://x/y", "--alerts", "file:a", "--dlq", "file:d"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--source").contains("ftp://x/y").contains("kafka://HOST:PORT/TOPIC");
    }

    @Test
    void aMisspeltConfigKeyIsAUsageErrorNamingTheKey() {
        assertThat(run("stream", "--source", "file:in", "--alerts", "file:a", "--dlq", "file:d",
                        "--set", "job.paralellism=3"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("job.paralellism");
    }

    @Test
    void aMissingInputFileIsAUsageError() {
        assertThat(run("stream", "--source", "file:/nonexistent/traffic.jsonl", "--alerts", "file:a", "--dlq",
                        "file:d"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("/nonexistent/traffic.jsonl");
    }

    private int run(String... args) {
        CommandLine commandLine = TraceAnalytics.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
