package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.jobs.sources.JsonLinesFormat;
import dev.mplp.trace.jobs.sources.TimeOrderedFiles;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.testing.MiniClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a subtask reads merged by event time restore exactly: a job over three files at parallelism 2 fails once
 * after a checkpoint, mid-input, restarts from it and finishes; a keyed check that is restored with it sees every
 * file's lines each once, in the file's order, across the failure.
 */
class TimeOrderedFilesRestoreITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final Instant T0 = Instant.parse("2025-09-03T10:00:00Z");
    private static final int FILES = 3;
    private static final int LINES = 300;

    /** What the check saw wrong, and the last line each file reached (kept across the restart: static). */
    private static final Queue<String> WRONG = new ConcurrentLinkedQueue<>();
    private static final Map<String, Long> LAST_LINE = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Test
    void aRestoredJobReadsEveryLineOfEveryFileOnceInItsFilesOrder() throws Exception {
        FailOnceAfterCheckpoint.reset();
        WRONG.clear();
        LAST_LINE.clear();
        for (int file = 0; file < FILES; file++) {
            int f = file;
            // the files' times interleave: file f's line n is at n seconds plus f thirds of a second
            Files.writeString(dir.resolve("traffic-" + f + ".jsonl"), IntStream.rangeClosed(1, LINES)
                    .mapToObj(n -> "{\"message_id\":\"m-" + f + "-" + n + "\",\"timestamp\":\""
                            + T0.plusMillis(n * 1000L + f * 333L) + "\",\"payload\":{}}")
                    .collect(Collectors.joining("\n", "", "\n")));
        }

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FailOnceAfterCheckpoint.restarts());
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(100);
        env.fromSource(new TimeOrderedFiles(List.of(new org.apache.flink.core.fs.Path(dir.toUri())),
                                new JsonLinesFormat(1 << 20)),
                        WatermarkStrategy.noWatermarks(), "files")
                .uid("files")
                .map(new FailOnceAfterCheckpoint(LINES, 2))
                .name("fail-once")
                .uid("fail-once")
                .keyBy(TimeOrderedFilesRestoreITCase::file, Types.STRING)
                .process(new LinesInOrder())
                .name("lines-in-order")
                .uid("lines-in-order")
                .sinkTo(new DiscardingSink<>());
        env.execute("time-ordered-files-restore");

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the job failed once").isTrue();
        assertThat(FailOnceAfterCheckpoint.RESTORED).as("and restored its checkpoint").isTrue();
        assertThat(WRONG).as("lines read twice, skipped or out of their file's order").isEmpty();
        assertThat(LAST_LINE).as("the last line read of each file").hasSize(FILES)
                .allSatisfy((file, last) -> assertThat(last).isEqualTo(LINES));
    }

    /** The file of a line: its position {@code file:PATH:LINE} without the line. */
    private static String file(RawMessage line) {
        return line.sourcePosition.substring(0, line.sourcePosition.lastIndexOf(':'));
    }

    /** Per file, the last line number seen, in state that the checkpoint restores with the source's positions. */
    private static final class LinesInOrder extends KeyedProcessFunction<String, RawMessage, Void> {
        private transient ValueState<Long> last;

        @Override
        public void open(OpenContext openContext) {
            last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-line", Types.LONG));
        }

        @Override
        public void processElement(RawMessage line, Context ctx, Collector<Void> out) throws Exception {
            long number = Long.parseLong(line.sourcePosition.substring(line.sourcePosition.lastIndexOf(':') + 1));
            long before = last.value() == null ? 0 : last.value();
            if (number != before + 1) {
                WRONG.add(ctx.getCurrentKey() + ": line " + number + " after line " + before);
            }
            last.update(number);
            LAST_LINE.merge(ctx.getCurrentKey(), number, Math::max);
        }
    }
}
