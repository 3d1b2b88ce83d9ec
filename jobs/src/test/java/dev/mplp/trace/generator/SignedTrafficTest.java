package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.ingest.MessageValidator;
import dev.mplp.trace.ingest.Validated;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.security.IntegrityKeys;
import dev.mplp.trace.security.MessageSecurity;
import dev.mplp.trace.security.Secrets;
import dev.mplp.trace.security.SecurityFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code generate --sign-keys} writes passes the integrity check in require mode, line for line. */
class SignedTrafficTest {

    @TempDir
    Path dir;

    @Test
    void everyValidSignedLineIsAcceptedAndMalformedOnesKeepTheirReason() {
        Path keys = SecurityFixtures.write(dir.resolve("keys.properties"),
                IntegrityKeys.ANY_SENDER + "=" + SecurityFixtures.base64(SecurityFixtures.SENDER_KEY) + "\n");
        GeneratorSettings settings = Runs.settings()
                .duration(Duration.ofSeconds(10))
                .fault("malformed:*:fraction=0.1")
                .build();
        MessageValidator validator = new MessageValidator(1 << 20, 4096, Set.of("1.0.0-alpha"),
                new MessageSecurity(SecurityFixtures.integrity(Mode.REQUIRE, keys), new Secrets(Map.of())));

        List<GeneratedMessage> signed = list(
                new SignedTraffic(new TrafficGenerator(settings), IntegrityKeys.load(keys.toString(),
                        new Secrets(Map.of()))));

        assertThat(signed).isNotEmpty().anySatisfy(m -> assertThat(m.isValid()).isFalse());
        assertThat(signed).allSatisfy(m -> {
            Validated result = validator.validate(RawMessage.of(m.json(), "test:" + m.sequence(), 0L));
            if (m.isValid()) {
                assertThat(result.isAccepted()).as(m.toString()).isTrue();
            } else {
                assertThat(result.deadLetter().reason).as(m.toString()).isEqualTo(m.expectedReason());
            }
        });
    }

    private static List<GeneratedMessage> list(Iterable<GeneratedMessage> messages) {
        List<GeneratedMessage> all = new java.util.ArrayList<>();
        messages.forEach(all::add);
        return all;
    }
}
