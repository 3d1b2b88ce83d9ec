package dev.mplp.trace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (the Debian package's binary) on a free loopback port, scraping the given targets every
 * second with the given {@code metric_relabel_configs}, with its TSDB in its own temporary directory.
 */
public final class PrometheusServer extends LocalHttpService {

    private final List<String> targets;
    private final JsonNode metricRelabelConfigs;

    private PrometheusServer(List<String> targets, JsonNode metricRelabelConfigs) {
        super("prometheus");
        this.targets = List.copyOf(targets);
        this.metricRelabelConfigs = metricRelabelConfigs;
    }

    /**
     * Starts a server that scrapes {@code HOST:PORT} targets, relabelling as {@code metricRelabelConfigs} (a list of
     * Prometheus relabel configs, e.g. read from a {@code prometheus.yml}) says; ready when it answers.
     */
    public static PrometheusServer scraping(List<String> targets, JsonNode metricRelabelConfigs) {
        PrometheusServer server = new PrometheusServer(targets, metricRelabelConfigs);
        server.start();
        return server;
    }

    @Override
    protected List<String> command() throws IOException {
        Files.writeString(workDir.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: flink",
                "    static_configs:",
                "      - targets: [" + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                        + "]",
                // JSON is YAML
                "    metric_relabel_configs: " + metricRelabelConfigs,
                ""));
        return List.of(
                DebianBinaries.locate("prometheus", "prometheus").toString(),
                "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.console.templates=" + workDir,
                "--web.console.libraries=" + workDir);
    }

    /** An instant query: the {@code data.result} array (one element per series, {@code metric} and {@code value}). */
    public JsonNode query(String promql) {
        JsonNode answer = getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + answer);
        }
        return answer.path("data").path("result");
    }
}
