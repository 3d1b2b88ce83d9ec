package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestDiffTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RULE = "threshold.cpu_usage_percent";
    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");

    @Test
    void anIncidentThatStartsEarlierUnderALowerLimitIsStillTheSameIncident() {
        List<JsonNode> current = incident("a", "span-1", T0.plusSeconds(30), T0.plusSeconds(90));
        List<JsonNode> proposed = incident("b", "span-1", T0.plusSeconds(10), T0.plusSeconds(95));

        BacktestDiff diff = BacktestDiff.of(current, proposed);

        assertThat(diff.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.side()).isEqualTo(BacktestDiff.Side.BOTH);
            assertThat(entry.current().triggered().get("alert_id").asText()).isEqualTo("a");
            assertThat(entry.proposed().triggered().get("alert_id").asText()).isEqualTo("b");
        });
    }

    @Test
    void incidentsOfOtherSpansOrAtOtherTimesAreOnOneSideOnly() {
        List<JsonNode> current = new ArrayList<>(incident("a", "span-1", T0, T0.plusSeconds(10)));
        current.addAll(incident("c", "span-2", T0, T0.plusSeconds(10)));
        List<JsonNode> proposed = incident("b", "span-1", T0.plusSeconds(20), T0.plusSeconds(30));

        BacktestDiff diff = BacktestDiff.of(current, proposed);

        assertThat(diff.countsByRule()).containsExactlyEntriesOf(Map.of(RULE,
                new BacktestDiff.RuleCounts(2, 1, 0)));
    }

    @Test
    void anIncidentStillOpenAtTheEndOverlapsEverythingAfterItsStart() {
        List<JsonNode> current = List.of(alert("a", "span-1", "triggered", T0, T0));
        List<JsonNode> proposed = incident("b", "span-1", T0.plusSeconds(600), T0.plusSeconds(700));

        assertThat(BacktestDiff.of(current, proposed).entries())
                .extracting(BacktestDiff.Entry::side)
                .containsExactly(BacktestDiff.Side.BOTH);
    }

    private static List<JsonNode> incident(String id, String span, Instant started, Instant resolved) {
        return List.of(alert(id, span, "triggered", started, started), alert(id, span, "resolved", started, resolved));
    }

    private static JsonNode alert(String id, String span, String result, Instant started, Instant at) {
        ObjectNode alert = MAPPER.createObjectNode();
        alert.put("alert_id", id);
        alert.put("alert_rule_id", RULE);
        alert.put("alert_type", "threshold_breach");
        alert.put("evaluation_result", result);
        alert.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        alert.put("span_id", span);
        alert.put("started_at", started.toString());
        alert.put("evaluation_timestamp", at.toString());
        return alert;
    }
}
