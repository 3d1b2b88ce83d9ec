package dev.mplp.trace.bench;

import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded Flink that the Flink-based peers of row 7 (ours, Flink SQL) detect on: parallelism 2, no
 * checkpoints (a bounded in-memory input), the alerts collected in this JVM. A job is timed by its net run time
 * ({@link JobExecutionResult#getNetRuntime}: from running to finished, without the cluster's start).
 */
final class PeerFlink {

    static final int PARALLELISM = 2;

    /** Alerts collected by run, filled by {@link Collect}'s writers (the embedded cluster runs in this JVM). */
    private static final Map<String, Queue<Detected>> COLLECTED = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();
    final StreamExecutionEnvironment env;

    PeerFlink() {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, PARALLELISM);
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        env = StreamExecutionEnvironment.createLocalEnvironment(flink);
        env.setParallelism(PARALLELISM);
        COLLECTED.put(run, new ConcurrentLinkedQueue<>());
    }

    /** The evaluations as a stream with their event times (in order: the input is sorted). */
    DataStream<MetricEvaluation> evaluations(List<MetricEvaluation> evaluations) {
        return env.fromData(evaluations)
                .name("evaluations")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<MetricEvaluation>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.eventTime))
                .name("evaluation-times");
    }

    /** The starts and completions as a stream, without event times yet. */
    DataStream<TraceEvent> startsAndCompletions(List<TraceEvent> events) {
        return env.fromData(events).name("starts-and-completions");
    }

    /** Sends {@code detected} to this run's collection. */
    void collect(DataStream<Detected> detected, String name) {
        detected.sinkTo(new Collect(run)).name(name);
    }

    /** Runs the job; the alerts it detected and its net run time. */
    PeerRun execute(String engine, long events) throws Exception {
        JobExecutionResult result = env.execute(engine);
        List<Detected> detected = new ArrayList<>(COLLECTED.remove(run));
        return new PeerRun(engine, detected, events, result.getNetRuntime() / 1000.0);
    }

    /** Adds every alert to the run's collection. */
    private record Collect(String run) implements Sink<Detected> {
        @Override
        public SinkWriter<Detected> createWriter(WriterInitContext context) {
            Queue<Detected> into = COLLECTED.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(Detected element, Context context) {
                    into.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
