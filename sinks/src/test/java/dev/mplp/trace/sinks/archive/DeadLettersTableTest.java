package dev.mplp.trace.sinks.archive;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.bool;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersTableTest {

    private static final long INGEST_TIME = Instant.parse("2025-11-25T10:00:00Z").toEpochMilli();
    private static final long EVENT_TIME = Instant.parse("2025-11-24T23:59:58Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void writesTheReasonAndTheRawPayloadOfEveryDeadLetter() throws Exception {
        DeadLetter malformed = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "unexpected end", null,
                "kafka:events/1@42", 1_764_064_800_000L, "{\"broken", 9000, true);
        DeadLetter duplicate = new DeadLetter(DeadLetterReason.DUPLICATE, null, "msg-9", "file:/x:1", 7L, null, 0,
                false).withEventTime(EVENT_TIME);

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
        assertThat(int64(first, "event_time")).isNull();
        assertThat(string(first, "partition_time_source")).isEqualTo("ingest_time");
        Group second = rows.get(1);
        assertThat(string(second, "reason")).isEqualTo("duplicate");
        assertThat(string(second, "message_id")).isEqualTo("msg-9");
        assertThat(string(second, "raw_payload")).isNull();
        assertThat(bool(second, "payload_truncated")).isFalse();
        assertThat(int64(second, "event_time")).isEqualTo(EVENT_TIME);
        assertThat(string(second, "partition_time_source")).isEqualTo("event_time");
    }

    @Test
    void placesADeadLetterByItsEventTimeWhereItHasOneElseByItsIngestTime() {
        DeadLetter malformed = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "unexpected end", null,
                "kafka:events/1@42", INGEST_TIME, "{", 1, false);
        DeadLetter duplicate = new DeadLetter(DeadLetterReason.DUPLICATE, null, "msg-9", "kafka:events/1@43",
                INGEST_TIME, "{}", 2, false).withEventTime(EVENT_TIME);

        assertThat(new EventTimePartitions<>(DeadLettersTable.TABLE).getBucketId(malformed, null))
                .isEqualTo("dt=2025-11-25/hour=10");
        assertThat(new EventTimePartitions<>(DeadLettersTable.TABLE).getBucketId(duplicate, null))
                .isEqualTo("dt=2025-11-24/hour=23");
    }
}
