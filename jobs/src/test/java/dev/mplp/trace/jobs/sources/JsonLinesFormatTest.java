package dev.mplp.trace.jobs.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.records.RawMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line splitting of the file source: line numbers, blank lines, CRLF, lines over the limit, across blocks. */
class JsonLinesFormatTest {

    private static final long LIMIT = 100_000;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void numbersLinesAsAnEditorDoesAndSkipsBlankOnes() throws IOException {
        List<RawMessage> read = read("{\"a\":1}\n\n  \n{\"b\":2}\r\n{\"c\":3}", LIMIT);

        assertThat(read).extracting(r -> text(r.body)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(read).extracting(r -> r.sourcePosition)
                .allSatisfy(p -> assertThat(p).startsWith("file:"))
                .extracting(p -> p.substring(p.lastIndexOf(':') + 1))
                .containsExactly("1", "4", "5");
        assertThat(read).extracting(r -> r.sizeBytes).containsExactly(7L, 7L, 7L);
    }

    @Test
    void keepsLinesLongerThanABlockWhole() throws IOException {
        // far longer than the reader's 64 KB block, so a line spans several reads
        String longLine = "{\"x\":\"" + "y".repeat(200_000) + "\"}";
        List<RawMessage> read = read("{\"a\":1}\n" + longLine + "\n{\"b\":2}\n", 1 << 20);

        assertThat(read).extracting(r -> text(r.body)).containsExactly("{\"a\":1}", longLine, "{\"b\":2}");
        assertThat(read.get(1).sizeBytes).isEqualTo(longLine.length());
    }

    @Test
    void cutsALineAtTheLimitAndRecordsItsFullSize() throws IOException {
        String oversize = "z".repeat(150_000);
        List<RawMessage> read = read(oversize + "\r\n{\"b\":2}\n", LIMIT);

        assertThat(read).hasSize(2);
        assertThat(read.get(0).body).hasSize((int) LIMIT);
        // the full line without its terminator, though the CR came after the cut
        assertThat(read.get(0).sizeBytes).isEqualTo(150_000L);
        assertThat(text(read.get(1).body)).isEqualTo("{\"b\":2}");
        assertThat(read.get(1).sourcePosition).endsWith(":2");
    }

    @Test
    void aLineOfExactlyTheLimitFitsWhateverItsTerminator() throws IOException {
        String full = "f".repeat((int) LIMIT);
        // the CR of the second line is the 100,001st byte, cut off with the rest
        List<RawMessage> read = read(full + "\n" + full + "\r\n" + full + "\r", LIMIT);

        assertThat(read).hasSize(3).allSatisfy(raw -> {
            assertThat(raw.sizeBytes).isEqualTo(LIMIT);
            assertThat(raw.body).hasSize((int) LIMIT);
            assertThat(raw.isTruncated()).isFalse();
        });
    }

    @Test
    void readsManyLinesAcrossBlockBoundaries() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // lengths that do not divide the block size, so line breaks fall everywhere in a block
            String line = "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 97) + "\"}";
            written.add(line);
            file.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        List<RawMessage> read = read(file.toString(StandardCharsets.UTF_8), LIMIT);

        assertThat(read).extracting(r -> text(r.body)).containsExactlyElementsOf(written);
        assertThat(read.get(4_999).sourcePosition).endsWith(":5000");
    }

    private List<RawMessage> read(String content, long limit) throws IOException {
        java.nio.file.Path file = dir.resolve("input.jsonl");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        long size = Files.size(file);
        FileSourceSplit split = new FileSourceSplit("0", new Path(file.toUri()), 0, size, 0, size);
        List<RawMessage> read = new ArrayList<>();
        try (BulkFormat.Reader<RawMessage> reader =
                new JsonLinesFormat(limit).createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<RawMessage> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<RawMessage> next;
                while ((next = batch.next()) != null) {
                    read.add(next.getRecord());
                }
                batch.releaseBatch();
            }
        }
        return read;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
