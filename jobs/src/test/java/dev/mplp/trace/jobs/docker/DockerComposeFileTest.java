package dev.mplp.trace.jobs.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker/docker-compose.yml} without a Docker engine: valid against the Compose specification's JSON schema
 * (bundled, see {@code compose-spec/README.md}), and consistent with the repository: the files it mounts exist, the
 * services it depends on are defined, Prometheus scrapes the reporter port Flink is given, and the job is submitted
 * with the configuration file it mounts.
 */
class DockerComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
    /** The jar the build writes (shade plugin, finalName trace-analytics); a build output, not in the repository. */
    private static final Path JOB_JAR = Path.of("..", "jobs", "target", "trace-analytics.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_SOURCE =
            "https://raw.githubusercontent.com/compose-spec/compose-spec/170098ba07d9f53c383a41bfd4c5166b0a4529a6"
                    + "/schema/compose-spec.json";

    @Test
    void isAValidComposeFile() throws IOException {
        assertThat(validate(readYaml(COMPOSE))).isEmpty();
    }

    @Test
    void theSchemaCatchesWhatDockerComposeWouldRefuse() throws IOException {
        ObjectNode compose = (ObjectNode) readYaml(COMPOSE);
        ((ObjectNode) compose.path("services").path("grafana")).put("imagee", "grafana/grafana");
        ((ObjectNode) compose.path("services").path("prometheus")).put("ports", "9090:9090");

        assertThat(validate(compose)).extracting(ValidationMessage::getMessage)
                .anySatisfy(message -> assertThat(message).contains("imagee"))
                .anySatisfy(message -> assertThat(message).contains("ports"));
    }

    @Test
    void everyMountedPathExistsAndEveryNamedVolumeIsDeclared() throws IOException {
        JsonNode compose = readYaml(COMPOSE);
        List<String> checked = new ArrayList<>();
        compose.path("services").properties().forEach(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    Path path = DOCKER.resolve(source).normalize();
                    if (path.equals(JOB_JAR.normalize())) {
                        continue; // written by `mvn package`, as the compose file's header says
                    }
                    assertThat(path).as("%s mounts %s", service.getKey(), source).exists();
                    checked.add(source);
                } else {
                    assertThat(compose.path("volumes").has(source))
                            .as("%s uses the named volume %s", service.getKey(), source)
                            .isTrue();
                }
            }
        });
        assertThat(checked).contains(
                "./prometheus/prometheus.yml",
                "./prometheus/rules",
                "./alertmanager/alertmanager.yml",
                "./grafana/provisioning",
                "./grafana/dashboards",
                "../conf");
    }

    @Test
    void everyDependencyIsAService() throws IOException {
        JsonNode services = readYaml(COMPOSE).path("services");
        services.properties().forEach(service -> {
            JsonNode dependsOn = service.getValue().path("depends_on");
            List<String> targets = new ArrayList<>();
            if (dependsOn.isArray()) {
                dependsOn.forEach(target -> targets.add(target.asText()));
            } else {
                dependsOn.fieldNames().forEachRemaining(targets::add);
            }
            targets.forEach(target ->
                    assertThat(services.has(target)).as("%s depends on %s", service.getKey(), target).isTrue());
        });
    }

    @Test
    void prometheusScrapesTheReporterPortOfTheFlinkServices() throws IOException {
        JsonNode services = readYaml(COMPOSE).path("services");
        JsonNode flink = readYaml(services.path("taskmanager").path("environment").path("FLINK_PROPERTIES").asText());
        assertThat(flink.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        String port = flink.path("metrics.reporter.prom.port").asText();

        JsonNode prometheus = readYaml(DOCKER.resolve("prometheus/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets")
                .forEach(target -> targets.add(target.asText()));
        assertThat(targets).containsExactlyInAnyOrder("jobmanager:" + port, "taskmanager:" + port);
    }

    @Test
    void theJobIsSubmittedWithTheMountedConfigurationAndPostsToTheAlertmanagerService() throws IOException {
        JsonNode services = readYaml(COMPOSE).path("services");
        List<String> command = new ArrayList<>();
        services.path("job-submit").path("command").forEach(arg -> command.add(arg.asText()));

        assertThat(command).containsSubsequence("flink", "run").contains("/opt/trace-analytics/trace-analytics.jar");
        String config = command.get(command.indexOf("--config") + 1);
        assertThat(config).startsWith("/conf/");
        assertThat(Path.of("..", "conf").resolve(config.substring("/conf/".length()))).exists();
        assertThat(command.get(command.indexOf("--alertmanager") + 1)).startsWith("http://alertmanager:");
        assertThat(services.has("alertmanager")).isTrue();
    }

    /**
     * YAML as Compose reads it, anchors and aliases resolved (the compose file shares Flink's image and settings
     * that way; Jackson's YAML tree model leaves aliases empty), as a JSON tree.
     */
    private static JsonNode readYaml(Path file) throws IOException {
        return readYaml(Files.readString(file));
    }

    private static JsonNode readYaml(String yaml) {
        Object document = new Yaml().load(yaml);
        return JSON.valueToTree(document);
    }

    private static Set<ValidationMessage> validate(JsonNode compose) throws IOException {
        JsonNode schemaNode;
        try (InputStream in = DockerComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            schemaNode = JSON.readTree(in);
        }
        // the bundled file names its meta-schema https://json-schema.org/draft-07/schema; the validator has draft 07
        // built in under its canonical id, which keeps it from fetching anything over the network. Its relative $id
        // is made absolute, as the validator requires (its references are all within the file)
        ((ObjectNode) schemaNode).put("$schema", "http://json-schema.org/draft-07/schema#");
        ((ObjectNode) schemaNode).put("$id", SCHEMA_SOURCE);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaNode);
        return schema.validate(compose);
    }
}
