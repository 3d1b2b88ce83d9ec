package dev.mplp.trace.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertmanagerLocationTest {

    @Test
    void postsToTheV2AlertsResourceUnderTheGivenBaseAndPath() {
        assertThat(AlertmanagerLocation.parse("http://alertmanager:9093").alertsUri())
                .hasToString("http://alertmanager:9093/api/v2/alerts");
        assertThat(AlertmanagerLocation.parse("https://ops.example.com/alertmanager/").alertsUri())
                .hasToString("https://ops.example.com/alertmanager/api/v2/alerts");
    }

    @Test
    void refusesWhatIsNotAnHttpUrlNamingTheValue() {
        assertThatThrownBy(() -> AlertmanagerLocation.parse("kafka://broker:9092/alerts"))
                .hasMessageContaining("kafka://broker:9092/alerts")
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> AlertmanagerLocation.parse("http:///api")).hasMessageContaining("no host");
        assertThatThrownBy(() -> AlertmanagerLocation.parse("")).hasMessageContaining("empty");
    }
}
