package dev.mplp.trace.jobs;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.functions.SparseOutput;
import dev.mplp.trace.ingest.EventTimeRange;
import dev.mplp.trace.jobs.sources.KafkaPreflight;
import dev.mplp.trace.jobs.sources.RawMessageSources;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.sinks.AlertJson;
import dev.mplp.trace.sinks.DeadLetterJson;
import dev.mplp.trace.sinks.LateMessageJson;
import dev.mplp.trace.sinks.OutputSinks;
import dev.mplp.trace.sinks.alertmanager.AlertmanagerLocation;
import dev.mplp.trace.sinks.alertmanager.AlertmanagerOutput;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import dev.mplp.trace.jobs.metrics.SpanSeriesIntervals;
import dev.mplp.trace.sinks.otlp.OtlpSpanExport;
import dev.mplp.trace.sinks.otlp.OtlpSpanMetricsExport;
import dev.mplp.trace.sinks.otlp.OtlpSpanMetricsRecords;
import dev.mplp.trace.sinks.otlp.OtlpSpanRecords;
import java.io.PrintStream;
import java.util.List;
import java.nio.file.Files;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The streaming job: a source of raw records, the pipeline, and its outputs. */
public final class StreamJob {

    /**
     * Where the job reads and writes. {@code late} may be null: late messages are then only counted (they are in
     * the accepted stream either way); {@code archive} is null when there is no Parquet archive; {@code rules}, a
     * topic or file of rule documents that change thresholds and silences while the job runs, is null for the rules
     * of the configuration only; {@code otlpOut}, a Kafka topic for the completed spans as OTLP, is null for none;
     * {@code alertmanager} is null or empty when alerts are not posted to Alertmanager, else every Alertmanager to
     * post each alert to; {@code metricsOut}, a Kafka topic for the span metrics as OTLP, is null for none;
     * {@code breaches}, where every per-span breach goes (the evidence behind the incidents), is null for none.
     */
    public record Options(
            Endpoint source,
            Endpoint alerts,
            Endpoint deadLetters,
            Endpoint late,
            boolean stopAtEnd,
            ArchiveLocation archive,
            Endpoint rules,
            Endpoint otlpOut,
            List<AlertmanagerLocation> alertmanager,
            Endpoint metricsOut,
            Endpoint breaches) {

        /** Reads {@code source}; writes alerts, dead letters and late messages, and nothing else. */
        public static Options of(
                Endpoint source, Endpoint alerts, Endpoint deadLetters, Endpoint late, boolean stopAtEnd) {
            return new Options(source, alerts, deadLetters, late, stopAtEnd, null, null, null, null, null, null);
        }

        /** The same, archiving to {@code archive} as well. */
        public Options withArchive(ArchiveLocation archive) {
            return new Options(
                    source, alerts, deadLetters, late, stopAtEnd, archive, rules, otlpOut, alertmanager, metricsOut,
                    breaches);
        }

        /** The same, writing every per-span breach to {@code breaches} as well. */
        public Options withBreaches(Endpoint breaches) {
            return new Options(
                    source, alerts, deadLetters, late, stopAtEnd, archive, rules, otlpOut, alertmanager, metricsOut,
                    breaches);
        }

        /** The same, reading rule documents from {@code rules} as well. */
        public Options withRules(Endpoint rules) {
            return new Options(
                    source, alerts, deadLetters, late, stopAtEnd, archive, rules, otlpOut, alertmanager, metricsOut,
                    breaches);
        }
    }

    private StreamJob() {}

    /** @return what the run did; null when submitted detached (see {@link JobRuns#await}) */
    public static RunSummary run(Options options, TraceAnalyticsConfig config, PrintStream console) throws Exception {
        // argument problems surface before any Flink machinery starts
        Source<RawMessage, ?, ?> source = RawMessageSources.create(options.source(), config, options.stopAtEnd());
        // a bounded run reads its rule topic up to its end too, or the job would never finish
        Source<RawMessage, ?, ?> ruleSource = options.rules() == null
                ? null
                : RawMessageSources.create(options.rules(), config, options.stopAtEnd());
        KafkaPreflight.check("--source", options.source(), config);
        KafkaPreflight.check("--rules", options.rules(), config);
        KafkaPreflight.check("--alerts", options.alerts(), config);
        KafkaPreflight.check("--dlq", options.deadLetters(), config);
        KafkaPreflight.check("--late", options.late(), config);
        KafkaPreflight.check("--breaches", options.breaches(), config);
        requireDirectoryOrAbsent("--alerts", options.alerts());
        requireDirectoryOrAbsent("--dlq", options.deadLetters());
        if (options.late() != null) {
            requireDirectoryOrAbsent("--late", options.late());
        }
        if (options.breaches() != null) {
            requireDirectoryOrAbsent("--breaches", options.breaches());
        }
        if (options.archive() != null) {
            ArchiveOutputs.check(options.archive());
        }
        if (options.otlpOut() != null && !(options.otlpOut() instanceof Endpoint.Kafka)) {
            throw new IllegalArgumentException("--otlp-out " + options.otlpOut()
                    + ": OTLP spans go to a Kafka topic, kafka://HOST:PORT/TOPIC");
        }
        if (options.metricsOut() != null && !(options.metricsOut() instanceof Endpoint.Kafka)) {
            throw new IllegalArgumentException("--metrics-out " + options.metricsOut()
                    + ": OTLP metrics go to a Kafka topic, kafka://HOST:PORT/TOPIC");
        }

        StreamExecutionEnvironment env = Environments.create(config, console);
        define(env, options, config, source, ruleSource);

        JobClient client = env.executeAsync(config.flink().jobName());
        console.println("Job " + client.getJobID() + " started: reading " + options.source());
        return JobRuns.await(client, env.getConfiguration(), console);
    }

    /** The job's operators, from its sources through the pipeline to its outputs; {@code ruleSource} may be null. */
    static void define(
            StreamExecutionEnvironment env,
            Options options,
            TraceAnalyticsConfig config,
            Source<RawMessage, ?, ?> source,
            Source<RawMessage, ?, ?> ruleSource) {
        DataStream<RawMessage> raw = env.fromSource(source,
                        RawMessageSources.eventTime(options.source(), config, options.stopAtEnd()), "raw-messages")
                .name("source: " + options.source())
                .uid("raw-messages-source");

        DataStream<RawMessage> ruleDocuments = ruleSource == null
                ? null
                : env.fromSource(ruleSource, WatermarkStrategy.noWatermarks(), "rule-documents")
                        .name("rules: " + options.rules())
                        .uid("rule-documents-source");

        TracePipeline.Outputs outputs = TracePipeline.build(
                raw, ruleDocuments, config, EventTimeRange.ALL, options.otlpOut() != null);

        outputs.alerts()
                .map(new CountAlerts())
                .name("alert-totals")
                .uid("alert-totals")
                .setBufferTimeout(SparseOutput.bufferTimeout(env))
                .sinkTo(OutputSinks.jsonLines(
                        options.alerts(), "alerts", AlertJson::toJson, alert -> alert.alertId, config))
                .name("alerts: " + options.alerts())
                .uid("alerts-sink");

        outputs.deadLetters()
                .sinkTo(OutputSinks.jsonLines(options.deadLetters(), "dead-letters", DeadLetterJson::toJson, config))
                .name("dead-letters: " + options.deadLetters())
                .uid("dead-letters-sink");

        if (options.late() != null) {
            outputs.lateMessages()
                    .sinkTo(OutputSinks.jsonLines(options.late(), "late-messages", LateMessageJson::toJson, config))
                    .name("late-messages: " + options.late())
                    .uid("late-messages-sink");
        }

        if (options.breaches() != null) {
            outputs.breaches()
                    .sinkTo(OutputSinks.jsonLines(
                            options.breaches(), "breaches", AlertJson::toJson, breach -> breach.alertId, config))
                    .name("breaches: " + options.breaches())
                    .uid("breaches-sink");
        }

        if (options.otlpOut() != null) {
            outputs.completedSpans()
                    .sinkTo(OutputSinks.kafka((Endpoint.Kafka) options.otlpOut(), "otlp-spans",
                            new OtlpSpanRecords(), OtlpSpanExport::key, config))
                    .name("otlp-spans: " + options.otlpOut())
                    .uid("otlp-spans-sink");
        }

        if (options.metricsOut() != null) {
            TraceAnalyticsConfig.SpanMetrics spanMetrics = config.spanMetrics();
            SpanSeriesIntervals.aggregate(outputs.completedSpans(), spanMetrics)
                    .sinkTo(OutputSinks.kafka((Endpoint.Kafka) options.metricsOut(), "otlp-metrics",
                            new OtlpSpanMetricsRecords(new OtlpSpanMetricsExport(
                                    spanMetrics.dimensions(), spanMetrics.bucketsSeconds())),
                            OtlpSpanMetricsExport::key, config))
                    .name("otlp-metrics: " + options.metricsOut())
                    .uid("otlp-metrics-sink");
        }

        if (options.archive() != null) {
            ArchiveOutputs.attach(env, outputs, options.archive(), config);
        }

        if (options.alertmanager() != null && !options.alertmanager().isEmpty()) {
            AlertmanagerOutput.attach(outputs.alerts(), options.alertmanager(), config.alertmanager());
        }
    }

    static void requireDirectoryOrAbsent(String option, Endpoint endpoint) {
        if (endpoint instanceof Endpoint.File file && Files.exists(file.path()) && !Files.isDirectory(file.path())) {
            throw new IllegalArgumentException(option + " " + endpoint
                    + " is a file; file outputs are directories of JSON-lines part files");
        }
    }
}
