package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.bool;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersTableTest {

    @TempDir
    Path dir;

    @Test
    void writesTheReasonAndTheRawPayloadOfEveryDeadLetter() throws Exception {
        DeadLetter malformed = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "unexpected end", null,
                "kafka:events/1@42", 1_764_064_800_000L, "{\"broken", 9000, true);
        DeadLetter duplicate = new DeadLetter(DeadLetterReason.DUPLICATE, null, "msg-9", "file:/x:1", 7L, null, 0,
                false);

        List<Group> rows = ArchiveFiles.rows(TableFiles.write(dir.resolve("d.parquet"), DeadLettersTable.TABLE,
                ArchiveCompression.ZSTD, List.of(malformed, duplicate)));

        assertThat(rows).hasSize(2);
        Group first = rows.get(0);
        assertThat(string(first, "reason")).isEqualTo(DeadLetterReason.MALFORMED_JSON.wireName());
        assertThat(string(first, "detail")).isEqualTo("unexpected end");
        assertThat(string(first, "message_id")).isNull();
        assertThat(string(first, "source_position")).isEqualTo("kafka:events/1@42");
        assertThat(int64(first, "ingest_time")).isEqualTo(1_764_064_800_000L);
        assertThat(string(first, "raw_payload")).isEqualTo("{\"broken");
        assertThat(int64(first, "raw_payload_bytes")).isEqualTo(9000L);
        assertThat(bool(first, "payload_truncated")).isTrue();
        Group second = rows.get(1);
        assertThat(string(second, "reason")).isEqualTo("duplicate");
        assertThat(string(second, "message_id")).isEqualTo("msg-9");
        assertThat(string(second, "raw_payload")).isNull();
        assertThat(bool(second, "payload_truncated")).isFalse();
    }
}
