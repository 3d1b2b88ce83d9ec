package dev.mplp.trace.jobs.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.RawMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which a subtask's files are read: merged by envelope time, each file's own order kept. */
class TimeMergingSplitReaderTest {

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");

    @TempDir
    java.nio.file.Path dir;

    /** A line's message id is FILE-N (the file's Nth line); what it is read as, in the order read. */
    private record Read(String splitId, String messageId, RecordAndPosition<RawMessage> record) {}

    @Test
    void readsTheEarliestNextLineOfAllFilesFirst() throws IOException {
        FileSourceSplit a = file("a", 1, 3, 5, 7);
        FileSourceSplit b = file("b", 2, 4, 6);
        FileSourceSplit c = file("c", 0, 8);

        assertThat(ids(readAll(List.of(c, a, b))))
                .containsExactly("c-1", "a-1", "b-1", "a-2", "b-2", "a-3", "b-3", "a-4", "c-2");
    }

    @Test
    void keepsEachFilesOwnOrderHoweverOutOfOrderItsTimes() throws IOException {
        // a's second line is older than b's first: it still comes after a's first, which comes after b's first
        FileSourceSplit a = file("a", 5, 1, 6);
        FileSourceSplit b = file("b", 3, 4);

        assertThat(ids(readAll(List.of(a, b)))).containsExactly("b-1", "b-2", "a-1", "a-2", "a-3");
    }

    @Test
    void aLineWithoutATimestampStaysWithTheLineBeforeIt() throws IOException {
        FileSourceSplit a = write("a", line("a-1", 10), "not json at all", "{\"timestamp\":\"yesterday\"}", line("a-4", 30));
        FileSourceSplit b = file("b", 20);

        List<Read> read = readAll(List.of(a, b));

        assertThat(read).extracting(r -> r.record().getRecord().sourcePosition.replaceAll(".*/", ""))
                .containsExactly("a.jsonl:1", "a.jsonl:2", "a.jsonl:3", "b.jsonl:1", "a.jsonl:4");
    }

    @Test
    void aTieGoesToTheFileFirstInPathOrder() throws IOException {
        FileSourceSplit b = file("b", 1, 2);
        FileSourceSplit a = file("a", 1, 2);

        assertThat(ids(readAll(List.of(b, a)))).containsExactly("a-1", "b-1", "a-2", "b-2");
    }

    @Test
    void reportsEachFileFinishedOnceAfterItsLastLineAcrossFetches() throws IOException {
        int lines = TimeMergingSplitReader.RECORDS_PER_FETCH + 10;
        FileSourceSplit a = file("a", IntStream.range(0, lines).map(i -> 2 * i).toArray());
        FileSourceSplit b = file("b", 1);

        TimeMergingSplitReader reader = reader(List.of(a, b));
        List<String> order = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        int fetches = 0;
        while (finished.size() < 2) {
            RecordsWithSplitIds<RecordAndPosition<RawMessage>> fetch = reader.fetch();
            fetches++;
            for (String split = fetch.nextSplit(); split != null; split = fetch.nextSplit()) {
                for (var r = fetch.nextRecordFromSplit(); r != null; r = fetch.nextRecordFromSplit()) {
                    assertThat(finished).as("records after their file finished").doesNotContain(split);
                    order.add(messageId(r.getRecord()));
                }
            }
            finished.addAll(fetch.finishedSplits());
        }
        reader.close();

        assertThat(fetches).isGreaterThan(1);
        assertThat(finished).containsExactly(b.splitId(), a.splitId());
        assertThat(order).hasSize(lines + 1).startsWith("a-1", "b-1", "a-2").endsWith("a-" + lines);
    }

    @Test
    void mergesTheFirstFilesInPathOrderWhenThereAreMoreThanItKeepsOpen() throws IOException {
        FileSourceSplit a = file("a", 1, 3);
        FileSourceSplit b = file("b", 2, 4);
        FileSourceSplit c = file("c", 0, 5);

        // two open at most: c opens once a has ended, and its line at 0 comes after the lines read by then
        assertThat(ids(readAll(List.of(c, b, a), 2))).containsExactly("a-1", "b-1", "a-2", "c-1", "b-2", "c-2");
    }

    @Test
    void aRestoredFileGoesOnAfterTheLastLineItsPositionCounted() throws IOException {
        FileSourceSplit a = file("a", 1, 3, 5, 7);
        FileSourceSplit b = file("b", 2, 4, 6);
        List<Read> first = readAll(List.of(a, b));
        // a checkpoint after the fourth record (b-2): each file's position is that of its last record read
        CheckpointedPosition aAt = position(first.get(2).record());
        CheckpointedPosition bAt = position(first.get(3).record());

        List<Read> rest = readAll(List.of(a.updateWithCheckpointedPosition(aAt), b.updateWithCheckpointedPosition(bAt)));

        assertThat(ids(first).subList(0, 4)).containsExactly("a-1", "b-1", "a-2", "b-2");
        assertThat(ids(rest)).containsExactly("a-3", "b-3", "a-4");
    }

    private static CheckpointedPosition position(RecordAndPosition<RawMessage> record) {
        return new CheckpointedPosition(record.getOffset(), record.getRecordSkipCount());
    }

    private List<Read> readAll(List<FileSourceSplit> splits) throws IOException {
        return readAll(splits, TimeMergingSplitReader.MAX_OPEN_FILES);
    }

    private List<Read> readAll(List<FileSourceSplit> splits, int maxOpenFiles) throws IOException {
        TimeMergingSplitReader reader =
                new TimeMergingSplitReader(new Configuration(), new JsonLinesFormat(1 << 20), maxOpenFiles);
        reader.handleSplitsChanges(new SplitsAddition<>(splits));
        List<Read> read = new ArrayList<>();
        int finished = 0;
        while (finished < splits.size()) {
            RecordsWithSplitIds<RecordAndPosition<RawMessage>> fetch = reader.fetch();
            for (String split = fetch.nextSplit(); split != null; split = fetch.nextSplit()) {
                for (var r = fetch.nextRecordFromSplit(); r != null; r = fetch.nextRecordFromSplit()) {
                    read.add(new Read(split, messageId(r.getRecord()), r));
                }
            }
            finished += fetch.finishedSplits().size();
        }
        reader.close();
        return read;
    }

    private static TimeMergingSplitReader reader(List<FileSourceSplit> splits) {
        TimeMergingSplitReader reader = new TimeMergingSplitReader(new Configuration(), new JsonLinesFormat(1 << 20));
        reader.handleSplitsChanges(new SplitsAddition<>(splits));
        return reader;
    }

    private static List<String> ids(List<Read> read) {
        return read.stream().map(Read::messageId).toList();
    }

    private static String messageId(RawMessage message) {
        String text = new String(message.body, StandardCharsets.UTF_8);
        int at = text.indexOf("\"message_id\":\"");
        return at < 0 ? text : text.substring(at + 14, text.indexOf('"', at + 14));
    }

    /** A file whose Nth line is message NAME-N at T0 plus the Nth of {@code seconds}. */
    private FileSourceSplit file(String name, int... seconds) throws IOException {
        return write(name, IntStream.range(0, seconds.length)
                .mapToObj(i -> line(name + "-" + (i + 1), seconds[i]))
                .toArray(String[]::new));
    }

    private static String line(String messageId, int seconds) {
        // the envelope's fields before the timestamp, as producers write them
        return "{\"message_type\":\"trace.execution.update\",\"protocol_version\":\"1.0.0\",\"message_id\":\""
                + messageId + "\",\"timestamp\":\"" + T0.plusSeconds(seconds) + "\",\"payload\":{}}";
    }

    private FileSourceSplit write(String name, String... lines) throws IOException {
        java.nio.file.Path file = dir.resolve(name + ".jsonl");
        Files.writeString(file, Stream.of(lines).collect(Collectors.joining("\n", "", "\n")));
        long size = Files.size(file);
        return new FileSourceSplit(name, new Path(file.toUri()), 0, size, 0, size);
    }
}
