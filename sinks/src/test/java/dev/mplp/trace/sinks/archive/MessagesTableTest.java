package dev.mplp.trace.sinks.archive;

import java.nio.charset.StandardCharsets;

import static dev.mplp.trace.sinks.archive.ArchiveFiles.bool;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.int64;
import static dev.mplp.trace.sinks.archive.ArchiveFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.TraceAnalyticsConfig.ArchiveCompression;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.TraceEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagesTableTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryEnvelopeFieldAndThePayloadVerbatim() throws Exception {
        TraceEvent start = new TraceEvent();
        start.messageId = "msg-1";
        start.messageType = MessageType.START;
        start.protocolVersion = "1.0.0";
        start.eventTime = 1_764_064_800_123L;
        start.ingestTime = 1_764_064_801_000L;
        start.correlationId = "corr-1";
        start.senderId = "agent-7";
        start.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        start.spanId = "00f067aa0ba902b7";
        start.parentSpanId = "00f067aa0ba902b8";
        start.serviceName = "checkout";
        start.operationName = "charge";
        start.spanKind = "server";
        start.status = "running";
        start.statusCode = "ok";
        start.success = Boolean.TRUE;
        start.sourcePosition = "file:/in.jsonl:3";
        // unicode, quotes and a line break: the payload must come back byte for byte
        start.payload = "{\"message_id\":\"msg-1\",\"note\":\"caf\u00e9 \\\"q\\\"\\n \uD83D\uDE80\"}"
                .getBytes(StandardCharsets.UTF_8);
        TraceEvent bare = new TraceEvent();
        bare.messageId = "msg-2";
        bare.messageType = MessageType.UPDATE;
        bare.eventTime = 0;
        bare.ingestTime = 5;
        bare.payload = "{}".getBytes(StandardCharsets.UTF_8);

        Path file = TableFiles.write(
                dir.resolve("m.parquet"), MessagesTable.TABLE, ArchiveCompression.ZSTD, List.of(start, bare));
        List<Group> rows = ArchiveFiles.rows(file);

        assertThat(rows).hasSize(2);
        Group full = rows.get(0);
        assertThat(string(full, "message_id")).isEqualTo("msg-1");
        assertThat(string(full, "message_type")).isEqualTo("trace.execution.start");
        assertThat(string(full, "protocol_version")).isEqualTo("1.0.0");
        assertThat(int64(full, "event_time")).isEqualTo(1_764_064_800_123L);
        assertThat(int64(full, "ingest_time")).isEqualTo(1_764_064_801_000L);
        assertThat(string(full, "trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(string(full, "span_id")).isEqualTo("00f067aa0ba902b7");
        assertThat(string(full, "parent_span_id")).isEqualTo("00f067aa0ba902b8");
        assertThat(string(full, "service_name")).isEqualTo("checkout");
        assertThat(string(full, "operation_name")).isEqualTo("charge");
        assertThat(string(full, "span_kind")).isEqualTo("server");
        assertThat(string(full, "status")).isEqualTo("running");
        assertThat(string(full, "status_code")).isEqualTo("ok");
        assertThat(bool(full, "success")).isTrue();
        assertThat(string(full, "sender_id")).isEqualTo("agent-7");
        assertThat(string(full, "correlation_id")).isEqualTo("corr-1");
        assertThat(string(full, "source_position")).isEqualTo("file:/in.jsonl:3");
        assertThat(string(full, "payload")).isEqualTo(start.payloadText());

        Group nulls = rows.get(1);
        assertThat(string(nulls, "message_id")).isEqualTo("msg-2");
        assertThat(string(nulls, "trace_id")).isNull();
        assertThat(string(nulls, "service_name")).isNull();
        assertThat(bool(nulls, "success")).isNull();
        assertThat(int64(nulls, "event_time")).isZero();
    }

    @Test
    void timesAreUtcMillisecondTimestamps() throws Exception {
        assertThat(MessagesTable.TABLE.parquetSchema().getType("event_time").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
        assertThat(MessagesTable.TABLE.parquetSchema().getType("payload").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.stringType());
    }

    @Test
    void columnsDistinctPerRowAreWrittenWithoutADictionaryTheOthersWithOne() throws Exception {
        // two values per column over many rows: Parquet keeps a dictionary for every column it tries one on, so a
        // column without one was not tried
        List<TraceEvent> events = IntStream.range(0, 200).mapToObj(i -> {
            TraceEvent event = new TraceEvent();
            event.messageId = "msg-" + i % 2;
            event.messageType = MessageType.UPDATE;
            event.serviceName = "checkout-" + i % 2;
            event.sourcePosition = "file:/in.jsonl:" + i % 2;
            event.eventTime = 1_764_064_800_000L;
            event.ingestTime = 1_764_064_900_000L;
            event.payload = ("{\"message_id\":\"msg-" + i % 2 + "\",\"padding\":\"" + "x".repeat(500) + "\"}").getBytes(StandardCharsets.UTF_8);
            return event;
        }).toList();

        Path file = TableFiles.write(
                dir.resolve("d.parquet"), MessagesTable.TABLE, ArchiveCompression.ZSTD, events);
        Map<String, Set<Encoding>> encodings = ArchiveFiles.footer(file).getBlocks().get(0).getColumns().stream()
                .collect(Collectors.toMap(c -> c.getPath().toDotString(), ColumnChunkMetaData::getEncodings));

        for (String distinct : List.of("message_id", "source_position", "payload")) {
            assertThat(encodings.get(distinct)).as(distinct).noneMatch(Encoding::usesDictionary);
        }
        assertThat(encodings.get("service_name")).anyMatch(Encoding::usesDictionary);
        assertThat(encodings.get("message_type")).anyMatch(Encoding::usesDictionary);
        assertThat(ArchiveFiles.rows(file)).extracting(row -> string(row, "payload"))
                .containsExactlyElementsOf(events.stream().map(TraceEvent::payloadText).toList());
    }
}
