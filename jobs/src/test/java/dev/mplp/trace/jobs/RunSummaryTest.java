package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.ingest.IngestCounts;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.security.SecurityCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run summary from the job's accumulators, as printed. */
class RunSummaryTest {

    @Test
    void verifyModeFailuresArePrintedUnderAccepted() {
        RunSummary summary = RunSummary.fromAccumulators(Map.of(
                IngestCounts.READ, 10L,
                IngestCounts.RECORDS, 10L,
                IngestCounts.ACCEPTED, 8L,
                IngestCounts.deadLetters(DeadLetterReason.INTERNAL_ERROR), 2L,
                IngestCounts.unverified(SecurityCheck.INTEGRITY), 3L,
                IngestCounts.unverified(SecurityCheck.AUTHENTICATION), 0L));

        String printed = print(summary);

        assertThat(summary.unverified()).containsExactly(Map.entry(SecurityCheck.INTEGRITY, 3L));
        assertThat(summary.balanced()).isTrue();
        assertThat(printed).containsPattern("\naccepted +8\n  unverified integrity +3\n")
                .containsPattern("\n  internal_error +2\n")
                .doesNotContain("unverified " + SecurityCheck.AUTHENTICATION.wireName());
    }

    @Test
    void nothingUnverifiedPrintsNoSuchLine() {
        RunSummary summary = RunSummary.fromAccumulators(Map.of(IngestCounts.READ, 1L, IngestCounts.RECORDS, 1L,
                IngestCounts.ACCEPTED, 1L));

        assertThat(print(summary)).doesNotContain("unverified");
    }

    private static String print(RunSummary summary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
