package dev.mplp.trace.jobs;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.jobs.sources.RawMessageSources;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;

/** The streaming job with every output (late messages, the archive, a rules source, breaches), defined, not run. */
final class StreamJobGraph {

    private StreamJobGraph() {}

    /** Every transformation of the job, its sources and sinks included; files it reads and writes under {@code dir}. */
    static List<Transformation<?>> transformations(Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("input.jsonl"), "");
        Path rules = Files.writeString(dir.resolve("rules.jsonl"), "");
        TraceAnalyticsConfig config = ConfigLoader.load(null, Map.of());
        StreamJob.Options options = StreamJob.Options.of(
                new Endpoint.File(input),
                new Endpoint.File(dir.resolve("alerts")),
                new Endpoint.File(dir.resolve("dead-letters")),
                new Endpoint.File(dir.resolve("late")),
                false)
                .withArchive(ArchiveLocation.parse("file:" + dir.resolve("archive")))
                .withRules(new Endpoint.File(rules))
                .withBreaches(new Endpoint.File(dir.resolve("breaches")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamJob.define(env, options, config,
                RawMessageSources.create(options.source(), config, false),
                RawMessageSources.create(options.rules(), config, false));
        Set<Transformation<?>> all = new LinkedHashSet<>();
        env.getTransformations().forEach(t -> all.addAll(t.getTransitivePredecessors()));
        return new ArrayList<>(all);
    }

    /** Only routes records (no operator of its own at run time). */
    static boolean isVirtual(Transformation<?> t) {
        return t instanceof PartitionTransformation
                || t instanceof UnionTransformation
                || t instanceof SideOutputTransformation;
    }
}
