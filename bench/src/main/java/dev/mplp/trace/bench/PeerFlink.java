package dev.mplp.trace.bench;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.MetricEvaluation;
import dev.mplp.trace.records.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import dev.mplp.trace.records.types.CompactStrings;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded Flink that the Flink-based peers of row 7 (ours, Flink SQL) detect on: the job's Flink settings,
 * parallelism 2, no checkpoints (a bounded in-memory input), the alerts collected in this JVM. The input reaches the
 * job as the very objects Esper is fed: a source hands out the elements of a list this JVM holds (the embedded
 * cluster runs in it), where {@code fromData} would serialize the whole list into the job and deserialize it again on
 * one thread (that took most of the job's time). A job is timed as Esper is, without its set-up: from the source's
 * first element to the end of the input at the last collecting subtask, after every timer the end of the input fires.
 */
final class PeerFlink {

    static final int PARALLELISM = 2;

    /** Alerts collected by run, filled by {@link Collect}'s writers (the embedded cluster runs in this JVM). */
    private static final Map<String, Queue<Detected>> COLLECTED = new ConcurrentHashMap<>();
    /** The inputs by run and name, handed out by {@link Elements}. */
    private static final Map<String, List<?>> INPUTS = new ConcurrentHashMap<>();
    /** By run: when a source handed out its first element, and when a collecting subtask saw the end of input. */
    private static final Map<String, Timing> TIMINGS = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();
    final StreamExecutionEnvironment env;

    /** @param config the job's configuration: its Flink settings (object reuse, buffers) apply here too */
    PeerFlink(TraceAnalyticsConfig config) {
        Configuration flink = new Configuration(config.flink().configuration());
        flink.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        flink.set(CoreOptions.DEFAULT_PARALLELISM, PARALLELISM);
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        env = StreamExecutionEnvironment.createLocalEnvironment(flink);
        env.setParallelism(PARALLELISM);
        COLLECTED.put(run, new ConcurrentLinkedQueue<>());
        TIMINGS.put(run, new Timing());
    }

    /** The evaluations as a stream with their event times (in order: the input is sorted). */
    DataStream<MetricEvaluation> evaluations(List<MetricEvaluation> evaluations) {
        return elements("evaluations", evaluations, TypeInformation.of(MetricEvaluation.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<MetricEvaluation>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.eventTime))
                .name("evaluation-times");
    }

    /** The starts and completions as a stream, without event times yet (strings as the pipeline ships them). */
    DataStream<TraceEvent> startsAndCompletions(List<TraceEvent> events) {
        return elements("starts-and-completions", events, CompactStrings.pojo(TraceEvent.class));
    }

    /** {@code elements} in their order, from one source subtask. */
    private <T> DataStream<T> elements(String name, List<T> elements, TypeInformation<T> type) {
        INPUTS.put(run + "/" + name, elements);
        return env.fromSource(new DataGeneratorSource<>(new Elements<T>(run, name), elements.size(), type),
                        WatermarkStrategy.noWatermarks(), name)
                .setParallelism(1);
    }

    /** Sends {@code detected} to this run's collection. */
    void collect(DataStream<Detected> detected, String name) {
        detected.sinkTo(new Collect(run)).name(name);
    }

    /** Runs the job; the alerts it detected and its time from the first element to the end of the input. */
    PeerRun execute(String engine, long events) throws Exception {
        try {
            env.execute(engine);
            List<Detected> detected = new ArrayList<>(COLLECTED.get(run));
            return new PeerRun(engine, detected, events, TIMINGS.get(run).seconds());
        } finally {
            COLLECTED.remove(run);
            TIMINGS.remove(run);
            INPUTS.keySet().removeIf(key -> key.startsWith(run + "/"));
        }
    }

    /** The first element handed out and the last end of input collected, in {@link System#nanoTime}. */
    private static final class Timing {
        private final AtomicLong firstElement = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastEndOfInput = new AtomicLong(Long.MIN_VALUE);

        double seconds() {
            if (firstElement.get() == Long.MAX_VALUE || lastEndOfInput.get() == Long.MIN_VALUE) {
                throw new IllegalStateException("the peer job handed out no element or saw no end of input");
            }
            return (lastEndOfInput.get() - firstElement.get()) / 1e9;
        }
    }

    /** The {@code index}th element of a run's input, the object itself; the first one starts the run's clock. */
    private record Elements<T>(String run, String name) implements GeneratorFunction<Long, T> {
        @Override
        @SuppressWarnings("unchecked")
        public T map(Long index) {
            if (index == 0) {
                TIMINGS.get(run).firstElement.accumulateAndGet(System.nanoTime(), Math::min);
            }
            return (T) INPUTS.get(run + "/" + name).get(index.intValue());
        }
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
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        TIMINGS.get(run).lastEndOfInput.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
