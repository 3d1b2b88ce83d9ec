package dev.mplp.trace.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.MalformedMessages;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-pass read ({@link OnePassReader}) against the tree checks ({@link MessageValidator#validateByTree}), the
 * reference, on the generator's malformed corpus and its traffic (every fault, malformed and duplicated lines among
 * them): every record the tree accepts, the one pass accepts with the same event; every record the tree rejects, the
 * one pass does not accept, and the validator gives the tree's dead letter. The seeded mutations are
 * OnePassOracleFuzzTest's (functions module).
 */
class OnePassOracleCorpusTest {

    private static final long LIMIT = 64 * 1024;
    private static final Set<String> VERSIONS = Set.of("1.0.0-alpha", "1.0.0");
    private static final MessageValidator VALIDATOR = new MessageValidator(LIMIT, 4096, VERSIONS);
    private static final OnePassReader ONE_PASS = new OnePassReader(LIMIT, VERSIONS);

    @Test
    void theMalformedCorpusIsRejectedAsTheTreeRejectsIt() {
        int compared = 0;
        for (MalformedMessages.Entry entry : MalformedMessages.corpus(LIMIT)) {
            RawMessage raw = RawMessage.of(entry.line(), "file:corpus:" + compared++, 0L);
            Validated reference = VALIDATOR.validateByTree(raw);

            assertThat(reference.isAccepted()).as(entry.name()).isFalse();
            assertThat(ONE_PASS.read(raw, raw.body)).as(entry.name()).isNull();
            assertThat(VALIDATOR.validate(raw)).as(entry.name()).isEqualTo(reference);
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void theGeneratorsTrafficGetsTheTreesAnswerRecordForRecord() {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(16)
                .start(Instant.parse("2025-09-03T10:00:00Z"))
                .duration(Duration.ofMinutes(1))
                .rate(25)
                .fault("latency:checkout/charge@+10s/20s")
                .fault("errors:inventory@+10s/20s")
                .fault("cpu:catalog@+10s/20s")
                .fault("incomplete:checkout@+10s/20s")
                .fault("malformed:*:fraction=0.1,max_bytes=" + LIMIT)
                .fault("duplicate:*:fraction=0.05")
                .fault("out_of_order:*:fraction=0.1")
                .build();
        int accepted = 0;
        int rejected = 0;
        for (GeneratedMessage m : new TrafficGenerator(settings)) {
            RawMessage raw = RawMessage.of(m.json(), "file:traffic:" + (accepted + rejected), 1L);
            String what = m + " " + m.json().substring(0, Math.min(300, m.json().length()));
            Validated reference = VALIDATOR.validateByTree(raw);
            TraceEvent onePass = ONE_PASS.read(raw, raw.body);

            if (reference.isAccepted()) {
                accepted++;
                assertThat(onePass).as(what).isEqualTo(reference.event());
            } else {
                rejected++;
                assertThat(onePass).as(what).isNull();
            }
            assertThat(VALIDATOR.validate(raw)).as(what).isEqualTo(reference);
        }
        assertThat(accepted).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(50);
    }
}
