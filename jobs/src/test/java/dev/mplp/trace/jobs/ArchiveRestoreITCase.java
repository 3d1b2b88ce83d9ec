package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.jobs.sources.RawMessageSources;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.sinks.AlertJson;
import dev.mplp.trace.sinks.OutputSinks;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.S3ProxyExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once of the archive across a failure: the job fails mid-run (an injected exception after a completed
 * checkpoint), restarts from that checkpoint and finishes; its {@code messages} and {@code dead_letters} tables on S3
 * hold exactly the rows of an undisturbed run over the same input (none lost, none twice), and its {@code alerts}
 * table exactly the alerts its own exactly-once JSON output holds. Spans, window summaries and alerts equal the
 * undisturbed run's too: the detectors work in event time, so a restore finds the same incidents. Compaction is on
 * and fires every few checkpoints, so the failure and the restore fall among compactions under way: the compacted
 * files are exactly-once too.
 */
class ArchiveRestoreITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();


    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension("restore-archive");

    @TempDir
    Path dir;

    @Test
    void aRestoredJobWritesEveryRowExactlyOnce() throws Exception {
        Path input = dir.resolve("traffic.jsonl");
        long lines = TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                        .seed(23)
                        .duration(Duration.ofSeconds(30))
                        .rate(3)
                        .fault("cpu:catalog@+5s/15s:percent=97")
                        .fault("malformed:*:fraction=0.05")
                        .fault("duplicate:*:fraction=0.05")
                        .build()), input, 0);
        Map<String, String> settings = new HashMap<>(S3.archiveSettings());
        settings.put("execution.checkpointing.interval", "300ms");
        settings.put("execution.checkpointing.min-pause", "100ms");
        // a partition's part files are compacted every third checkpoint
        settings.put("archive.compaction.interval", "900ms");
        TraceAnalyticsConfig config = ConfigLoader.load(null, settings);

        Path reference = dir.resolve("reference");
        run(input, ArchiveLocation.parse("file:" + reference), dir.resolve("reference-alerts"), config, Long.MAX_VALUE);
        FailOnceAfterCheckpoint.reset();
        Path restoredAlertsJson = dir.resolve("restored-alerts");
        run(input, ArchiveLocation.parse(S3.uri("restored")), restoredAlertsJson, config, lines / 4);

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the injected failure happened").isTrue();
        assertThat(FailOnceAfterCheckpoint.CHECKPOINT_BEFORE_FAILURE.get()).isPositive();
        assertThat(FailOnceAfterCheckpoint.RESTORED).as("the job restarted from a checkpoint").isTrue();
        Path restored = S3.bucketDir().resolve("restored");
        assertThat(ArchiveFiles.visibleParquetFiles(restored))
                .as("every committed file is a compacted one")
                .isNotEmpty()
                .allSatisfy(file -> assertThat(file.getFileName().toString()).startsWith("compacted-part-"));
        assertSameRows(reference, restored, "messages", row -> row.getString("message_id", 0));
        assertSameRows(reference, restored, "dead_letters", row -> row.getString("source_position", 0));
        assertSameRows(reference, restored, "spans",
                row -> row.getString("trace_id", 0) + "/" + row.getString("span_id", 0));
        assertSameRows(reference, restored, "service_windows", row -> row.getString("kind", 0) + "/"
                + row.getString("service_name", 0) + "/" + optional(row, "operation_name") + "/"
                + row.getLong("window_start", 0));
        assertSameRows(reference, restored, "alerts",
                row -> row.getString("alert_id", 0) + "/" + row.getString("evaluation_result", 0));
        List<String> alerts = ArchiveFiles.tableRows(restored.resolve("alerts")).stream()
                .map(row -> row.getString("alert_id", 0) + "/" + row.getString("evaluation_result", 0))
                .toList();
        assertThat(alerts).as("the archive holds what the JSON output holds").containsExactlyInAnyOrderElementsOf(
                JsonLinesOutput.read(restoredAlertsJson).stream()
                        .map(a -> a.get("alert_id").asText() + "/" + a.get("evaluation_result").asText())
                        .toList());
    }

    private static String optional(Group row, String field) {
        return row.getFieldRepetitionCount(field) == 0 ? "" : row.getString(field, 0);
    }

    /** Each row is identified by {@code key}; both archives hold the same keys, each once. */
    private static void assertSameRows(Path reference, Path restored, String table, Function<Group, String> key) {
        List<String> expected = ArchiveFiles.tableRows(reference.resolve(table)).stream().map(key).toList();
        List<String> actual = ArchiveFiles.tableRows(restored.resolve(table)).stream().map(key).toList();
        assertThat(expected).as("the undisturbed run wrote %s", table).isNotEmpty().doesNotHaveDuplicates();
        assertThat(actual).as("rows of %s after the restore", table)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The pipeline, its archive and its JSON alerts, with a map that fails once after {@code recordsBeforeFailure}
     * records.
     */
    private static void run(
            Path input, ArchiveLocation archive, Path alertsJson, TraceAnalyticsConfig config, long recordsBeforeFailure)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FailOnceAfterCheckpoint.restarts());
        env.setParallelism(MiniClusters.PARALLELISM);
        env.enableCheckpointing(config.flink().checkpointInterval().toMillis());
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(config.flink().configuration().get(org.apache.flink.configuration.CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS).toMillis());

        DataStream<RawMessage> raw = env.fromSource(
                        RawMessageSources.create(new Endpoint.File(input), config, false),
                        WatermarkStrategy.noWatermarks(),
                        "raw-messages")
                .uid("raw-messages-source")
                .map(new FailOnceAfterCheckpoint(recordsBeforeFailure, 2))
                .name("fail-once")
                .uid("fail-once");
        TracePipeline.Outputs outputs = TracePipeline.build(raw, config);
        ArchiveOutputs.attach(env, outputs, archive, config);
        outputs.alerts()
                .sinkTo(OutputSinks.jsonLines(new Endpoint.File(alertsJson), "alerts", AlertJson::toJson, config))
                .name("alerts-json")
                .uid("alerts-sink");
        env.execute("archive-restore");
    }
}
