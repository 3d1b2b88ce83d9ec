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
 * registers or Flink's own it reads ({@link DashboardMetricNames}; PrometheusMetricsITCase shows each of them
 * scraped from a running job), from the data source its variable picks.
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

        List<String> known = new ArrayList<>(DashboardMetricNames.PROMETHEUS_NAMES);
        known.addAll(DashboardMetricNames.FLINK_NAMES);
        Set<String> queried = new LinkedHashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(panel.path("targets")).as("queries of panel '%s'", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                List<String> names = metricNames(target.path("expr").asText());
                assertThat(names).as("metrics of panel '%s'", title).isNotEmpty();
                assertThat(known)
                        .as("panel '%s' queries %s", title, target.path("expr").asText())
                        .containsAll(names);
                queried.addAll(names);
            }
        }
        // and the dashboard shows every dashboard metric the job has, and Flink's health
        assertThat(queried).containsExactlyInAnyOrderElementsOf(known);
    }

    @Test
    void serviceAndOperationVariablesFilterTheRedPanels() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> variables = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
            if ("query".equals(variable.path("type").asText())) {
                // label_values(METRIC, LABEL): the values of a label of a metric the job registers
                assertThat(DashboardMetricNames.PROMETHEUS_NAMES)
                        .contains(metricNames(variable.path("query").path("query").asText()).get(0));
            }
        }
        assertThat(variables).containsExactly("datasource", "service", "operation");
        List<JsonNode> red = panels(dashboard).stream()
                .filter(panel -> panel.path("targets").toString().contains("traces_span_metrics_"))
                .toList();
        assertThat(red).hasSizeGreaterThanOrEqualTo(4);
        for (JsonNode panel : red) {
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText())
                    .as("panel '%s'", panel.path("title").asText())
                    .contains("service_name=~\"$service\"", "span_name=~\"$operation\""));
        }
        assertThat(red).anySatisfy(panel -> assertThat(panel.path("targets").toString())
                .contains("histogram_quantile(0.50", "histogram_quantile(0.95", "histogram_quantile(0.99"));
    }

    @Test
    void panelsUseTheDatasourceVariableNotAHardCodedUid() throws IOException {
        JsonNode datasources = new YAMLMapper().readTree(
                GRAFANA.resolve("provisioning/datasources/prometheus.yaml").toFile());
        assertThat(datasources.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");

        String uid = "${" + variable.path("name").asText() + "}";
        for (JsonNode panel : panels(dashboard)) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
            panel.path("targets").forEach(t -> assertThat(t.path("datasource").path("uid").asText()).isEqualTo(uid));
        }
        assertThat(dashboard.toString()).doesNotContain(
                "\"uid\":\"" + datasources.path("datasources").get(0).path("uid").asText() + "\"");
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
