package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.sinks.alertmanager.AlertmanagerLocation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A bad {@code --alertmanager} is a usage error (exit code 2) whose message names the value and the expected form. */
class AlertmanagerOptionCliTest {

    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"kafka://am:9093/alerts", "alertmanager:9093", "http:///api", "http://am:9093/?x=1"})
    void aBadAlertmanagerUrlIsAUsageErrorNamingIt(String url) {
        CommandLine commandLine = TraceAnalytics.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute(
                "stream", "--source", "file:in", "--alerts", "file:a", "--dlq", "file:d", "--alertmanager", url);

        assertThat(exit).isEqualTo(TraceAnalytics.USAGE);
        assertThat(err.toString()).contains("--alertmanager").contains(url);
    }

    @Test
    void severalAlertmanagersAreGivenCommaSeparatedOrByRepeatingTheOption() {
        CommandLine.ParseResult parsed = TraceAnalytics.commandLine().parseArgs(
                "stream", "--source", "file:in", "--alerts", "file:a", "--dlq", "file:d",
                "--alertmanager", "http://am-1:9093,http://am-2:9093", "--alertmanager", "https://ops.example.com/am/");

        List<AlertmanagerLocation> locations = parsed.subcommand().matchedOptionValue("--alertmanager", List.of());
        assertThat(locations).extracting(Object::toString)
                .containsExactly("http://am-1:9093", "http://am-2:9093", "https://ops.example.com/am");
    }
}
