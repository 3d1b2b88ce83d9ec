package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mplp.trace.testing.DebianBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration and the alerting rules that watch the job ({@code docker/prometheus/}), checked and
 * unit-tested by the Debian package's {@code promtool}: each rule fires on the series of its test file and stays
 * quiet on a healthy job. An ITCase because it runs that binary (the README's test command installs it).
 */
class PrometheusAlertingRulesITCase {

    private static final Path PROMETHEUS = Path.of("..", "docker", "prometheus");
    private static final Path RULES = PROMETHEUS.resolve("rules/trace-analytics.yml");

    @Test
    void everyRuleFiresOnItsTestSeriesAndStaysQuietOnAHealthyJob() throws Exception {
        String output = promtool("test", "rules", PROMETHEUS.resolve("rules/trace-analytics.test.yml").toString());
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void theComposeConfigurationAndTheRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 7 rules found");
        assertThat(promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString())).contains("SUCCESS");
    }

    @Test
    void everyRuleHasATestAndQueriesOnlyMetricsOfTheJobOrFlinksOwnTheDashboardShows() throws IOException {
        JsonNode rules = new YAMLMapper().readTree(RULES.toFile()).path("groups").get(0).path("rules");
        JsonNode tests = new YAMLMapper().readTree(PROMETHEUS.resolve("rules/trace-analytics.test.yml").toFile());
        List<String> known = new ArrayList<>(DashboardMetricNames.PROMETHEUS_NAMES);
        known.addAll(DashboardMetricNames.FLINK_NAMES);
        List<String> tested = new ArrayList<>();
        tests.path("tests").forEach(test -> test.path("alert_rule_test").forEach(
                check -> tested.add(check.path("alertname").asText())));
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(tested).as("tests of %s", name).contains(name);
            List<String> metrics = GrafanaDashboardTest.metricNames(rule.path("expr").asText());
            assertThat(metrics).as("metrics of %s", name).isNotEmpty();
            for (String metric : metrics) {
                assertThat(known).as("%s queries %s", name, metric).contains(metric);
            }
        }
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(DebianBinaries.locate("promtool", "prometheus").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s answered:%n%s", command, text).isZero();
        return text;
    }
}
