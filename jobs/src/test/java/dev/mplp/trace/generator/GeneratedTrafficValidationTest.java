package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.generator.MalformedMessages.Entry;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real ingest validator agrees with what the generator says of every line. */
class GeneratedTrafficValidationTest {

    private static final long LIMIT = 64 * 1024;
    private static final MessageValidator VALIDATOR =
            new MessageValidator(LIMIT, 4096, Set.of("1.0.0-alpha", "1.0.0"));

    private static Validated validate(String line) {
        return VALIDATOR.validate(RawMessage.of(line, "file:test:1", 0L));
    }

    @Test
    void theValidatorGivesEveryCorpusRecordItsExpectedReason() {
        List<Entry> corpus = MalformedMessages.corpus(LIMIT);

        assertThat(corpus).allSatisfy(entry -> {
            Validated result = validate(entry.line());
            assertThat(result.isAccepted()).as(entry.name()).isFalse();
            assertThat(result.deadLetter().reason).as(entry.name() + ": " + result.deadLetter().detail)
                    .isEqualTo(entry.expectedReason());
        });
    }

    @Test
    void theValidatorAcceptsEveryValidLineAndRejectsEveryMalformedOneForItsReason() {
        GeneratorSettings settings = Runs.settings()
                .duration(Duration.ofMinutes(1))
                .fault("latency:checkout/charge@+10s/20s")
                .fault("errors:inventory@+10s/20s")
                .fault("cpu:catalog@+10s/20s")
                .fault("memory:notification@+10s/20s")
                .fault("incomplete:checkout@+10s/20s")
                .fault("malformed:*:fraction=0.1,max_bytes=" + LIMIT)
                .fault("duplicate:*:fraction=0.05")
                .fault("out_of_order:*:fraction=0.1")
                .build();
        Map<MessageType, Integer> accepted = new EnumMap<>(MessageType.class);
        int rejected = 0;

        for (GeneratedMessage m : new TrafficGenerator(settings)) {
            Validated result = validate(m.json());
            DeadLetterReason expected = m.expectedReason();
            if (expected == null || expected == DeadLetterReason.DUPLICATE) {
                // duplicates are found later, by message id: the validator sees a valid message
                assertThat(result.isAccepted()).as(m + " " + m.json()).isTrue();
                TraceEvent event = result.event();
                assertThat(event.messageType).isEqualTo(m.type());
                assertThat(event.traceId).isEqualTo(m.traceId());
                assertThat(event.spanId).isEqualTo(m.spanId());
                assertThat(event.eventTime).isEqualTo(m.eventTime().toEpochMilli());
                if (m.type() == MessageType.START) {
                    assertThat(event.serviceName).isEqualTo(m.service());
                    assertThat(event.thresholds.cpuUsagePercent).isEqualTo(80.0);
                }
                accepted.merge(m.type(), 1, Integer::sum);
            } else {
                assertThat(result.isAccepted()).as(m.malformation()).isFalse();
                assertThat(result.deadLetter().reason).as(m.malformation() + ": " + result.deadLetter().detail)
                        .isEqualTo(expected);
                rejected++;
            }
        }
        assertThat(accepted.keySet()).containsExactlyInAnyOrder(MessageType.values());
        assertThat(rejected).isGreaterThan(100);
    }
}
