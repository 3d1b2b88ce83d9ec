package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"s3cret\";";

    @Test
    void environmentVariablesOverrideConfiguredProperties() {
        Properties properties = KafkaClientProperties.resolve(
                Map.of("security.protocol", "PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256"),
                Map.of("TRACE_ANALYTICS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "TRACE_ANALYTICS_KAFKA_SASL_JAAS_CONFIG", JAAS,
                        "TRACE_ANALYTICS_KAFKA_", "ignored",
                        "OTHER_VARIABLE", "ignored"));

        assertThat(properties).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-256"),
                Map.entry("sasl.jaas.config", JAAS));
    }

    @Test
    void secretsAreRedactedWhenTheConfigurationIsPrinted() {
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of("kafka.properties",
                "{\"sasl.jaas.config\": \"" + JAAS.replace("\"", "\\\"") + "\", \"ssl.truststore.password\": \"pw1\","
                        + " \"ssl.truststore.location\": \"/etc/trust.p12\"}"));

        assertThat(config.toString()).doesNotContain("s3cret", "pw1")
                .contains("sasl.jaas.config=(redacted)", "ssl.truststore.location=/etc/trust.p12");
    }
}
