package dev.mplp.trace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * A real Alertmanager (the Debian package {@code prometheus-alertmanager}) on a free loopback port, alone (its
 * cluster listener disabled), with its data in its own temporary directory and a route to a receiver that notifies
 * nobody, grouping by {@link #GROUP_BY}: the tests read the alerts it holds, and their groups, through its v2 API.
 */
public final class AlertmanagerServer extends LocalHttpService {

    /** The route's {@code group_by}: an external label, and the alert's type, service and operation. */
    public static final List<String> GROUP_BY = List.of("cluster", "alertname", "service", "operation");

    private AlertmanagerServer() {
        super("alertmanager");
    }

    public static AlertmanagerServer started() {
        AlertmanagerServer server = new AlertmanagerServer();
        server.start();
        return server;
    }

    @Override
    protected List<String> command() throws IOException {
        Files.writeString(workDir.resolve("alertmanager.yml"), String.join("\n",
                "route:",
                "  receiver: nobody",
                "  group_by: [" + String.join(", ", GROUP_BY) + "]",
                "receivers:",
                "  - name: nobody",
                ""));
        return List.of(
                DebianBinaries.locate("prometheus-alertmanager", "prometheus-alertmanager").toString(),
                "--config.file=" + workDir.resolve("alertmanager.yml"),
                "--storage.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=");
    }

    /** {@code GET /api/v2/alerts}: the alerts it holds that are not resolved. */
    public JsonNode activeAlerts() {
        return getJson("/api/v2/alerts");
    }

    /** {@code GET /api/v2/alerts/groups}: the alert groups of the route, each with its group labels. */
    public JsonNode alertGroups() {
        return getJson("/api/v2/alerts/groups");
    }
}
