package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                        "--set", "parallelism.defualt=3"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("parallelism.defualt");
    }

    @Test
    void aDateWithoutItsTimeIsAUsageErrorSuggestingTheFullForm() {
        assertThat(run("reprocess", "--archive", "file:in", "--alerts", "file:a",
                        "--from", "2025-09-03", "--to", "2025-09-03T11:00"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString())
                .contains("'2025-09-03' is not an ISO-8601 instant; write 2025-09-03T00:00:00Z")
                .doesNotContain("Exception");
    }

    @Test
    void aRenamedConfigKeyIsAUsageErrorNamingItsNewKey() {
        assertThat(run("stream", "--source", "file:in", "--alerts", "file:a", "--dlq", "file:d",
                        "--set", "checkpointing.interval=3s"))
                .isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("it is now execution.checkpointing.interval");
    }

    @Test
    void theSettingsThatDifferFromTheDefaultsArePrintedAtStartDurationsWithTheirUnit(@TempDir Path dir) {
        assertThat(run("generate", "--duration", "2s", "--output", "file:" + dir.resolve("traffic.jsonl"),
                        "--fault", "cpu:catalog@+1000/1s",
                        "--set", "event-time.max-out-of-orderness=5", "--set", "execution.checkpointing.interval=1min"))
                .isZero();
        assertThat(out.toString())
                .contains("Setting (not the default): event-time.max-out-of-orderness: 5ms")
                .contains("Setting (not the default): execution.checkpointing.interval: 1min")
                .doesNotContain("Setting (not the default): pipeline.name");
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
