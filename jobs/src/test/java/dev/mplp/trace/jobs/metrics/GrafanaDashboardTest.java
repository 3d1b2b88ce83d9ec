package dev.mplp.trace.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Grafana dashboard cannot rot silently: every panel queries, and queries only metrics the job
 * registers ({@link DashboardMetricNames}; PrometheusMetricsITCase shows each of them scraped from a running job),
 * from the provisioned datasource.
 */
class GrafanaDashboardTest {

    private static final Path GRAFANA = Path.of("..", "docker", "grafana");
    private static final Path DASHBOARD = GRAFANA.resolve("dashboards/trace-analytics.json");

    /** What is not a metric name in a query: strings, label matchers, ranges, grouping clauses. */
    private static final Pattern NOT_NAMES = Pattern.compile(
            "\"[^\"]*\"|\\{[^}]*}|\\[[^]]*]|\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> OPERATORS = Set.of("and", "or", "unless", "bool", "offset");

    @Test
    void everyPanelQueriesOnlyMetricsTheJobRegisters() throws IOException {
        List<JsonNode> panels = panels(new ObjectMapper().readTree(DASHBOARD.toFile()));
        assertThat(panels).hasSizeGreaterThanOrEqualTo(8);

        Set<String> queried = new LinkedHashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(panel.path("targets")).as("queries of panel '%s'", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                List<String> names = metricNames(target.path("expr").asText());
                assertThat(names).as("metrics of panel '%s'", title).isNotEmpty();
                assertThat(DashboardMetricNames.PROMETHEUS_NAMES)
                        .as("panel '%s' queries %s", title, target.path("expr").asText())
                        .containsAll(names);
                queried.addAll(names);
            }
        }
        // and the dashboard shows every dashboard metric the job has
        assertThat(queried).containsExactlyInAnyOrderElementsOf(DashboardMetricNames.PROMETHEUS_NAMES);
    }

    @Test
    void panelsUseTheProvisionedPrometheusDatasource() throws IOException {
        JsonNode datasources = new YAMLMapper().readTree(
                GRAFANA.resolve("provisioning/datasources/prometheus.yaml").toFile());
        String uid = datasources.path("datasources").get(0).path("uid").asText();
        assertThat(datasources.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");

        for (JsonNode panel : panels(new ObjectMapper().readTree(DASHBOARD.toFile()))) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
            panel.path("targets").forEach(t -> assertThat(t.path("datasource").path("uid").asText()).isEqualTo(uid));
        }
    }

    @Test
    void readsMetricNamesOutOfQueries() {
        assertThat(metricNames("100 * sum by (service) (rate(a_spans{state=\"x\"}[5m])) / sum(rate(b[$__rate_interval]))"))
                .containsExactly("a_spans", "b");
        assertThat(metricNames("max by (task_name, subtask_index) (lag_ms) / 1000")).containsExactly("lag_ms");
    }

    /** The identifiers of a PromQL query that are metrics: not functions, aggregations, labels or keywords. */
    static List<String> metricNames(String promql) {
        Matcher identifiers = IDENTIFIER.matcher(NOT_NAMES.matcher(promql).replaceAll(" "));
        List<String> names = new ArrayList<>();
        while (identifiers.find()) {
            String token = identifiers.group();
            if (identifiers.group(1) == null && !OPERATORS.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }
}
