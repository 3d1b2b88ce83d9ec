package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.jobs.Environments;
import dev.mplp.trace.jobs.RunSummary;
import dev.mplp.trace.jobs.StreamJob;
import dev.mplp.trace.sinks.alertmanager.AlertmanagerLocation;
import dev.mplp.trace.sinks.archive.ArchiveLocation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "Run the streaming job over protocol messages from Kafka or files.",
            "It validates every message (dead-lettering the bad ones with their reason) and writes alerts.",
            "Runs on the Flink cluster when submitted with `flink run`, else on an embedded Flink.",
            "A file source is bounded: the job ends at its end. A Kafka source runs until cancelled",
            "(or, with --stop-at-end, up to the offsets that are the end when it starts)."
        })
public class StreamCommand implements Callable<Integer> {

    @Option(
            names = "--source",
            required = true,
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "kafka://HOST:PORT/TOPIC, or file:PATH (JSON lines; a directory or a glob like "
                    + "file:data/*.jsonl reads all its files; .gz files are decompressed).")
    Endpoint source;

    @Option(
            names = "--alerts",
            required = true,
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Where alerts go: kafka://HOST:PORT/TOPIC or file:DIR (JSON lines).")
    Endpoint alerts;

    @Option(
            names = "--dlq",
            required = true,
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Where dead letters go: kafka://HOST:PORT/TOPIC or file:DIR (JSON lines).")
    Endpoint deadLetters;

    @Option(
            names = "--late",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Where to list messages that arrived behind the watermark (accepted and archived, but "
                    + "left out of detection): kafka://HOST:PORT/TOPIC or file:DIR. Without it they are only counted.")
    Endpoint late;

    @Option(
            names = "--breaches",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Also write every span that broke its own limit (a per-span threshold_breach or "
                    + "incomplete_span, with its limit, value, trace and span ids: the evidence behind the incidents "
                    + "sent to --alerts) to kafka://HOST:PORT/TOPIC or file:DIR (JSON lines).")
    Endpoint breaches;

    @Option(
            names = "--archive",
            paramLabel = "LOCATION",
            converter = ArchiveLocationConverter.class,
            description = "Also write the Parquet archive (messages, completed spans, window summaries, dead letters,"
                    + " alerts, breaches) under s3://BUCKET/PREFIX or file:DIR, partitioned by event time; committed on"
                    + " checkpoints.")
    ArchiveLocation archive;

    @Option(
            names = "--rules",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Rule documents that change thresholds and silences while the job runs: "
                    + "kafka://HOST:PORT/TOPIC (a control topic) or file:PATH (JSON, one document per line).")
    Endpoint rules;

    @Option(
            names = "--otlp-out",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Also write every completed span as OTLP (one ExportTraceServiceRequest per span, protobuf) "
                    + "to kafka://HOST:PORT/TOPIC, for an OpenTelemetry Collector's Kafka receiver or Jaeger's "
                    + "ingester (encoding otlp_proto).")
    Endpoint otlpOut;

    @Option(
            names = "--metrics-out",
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "Also write the span metrics (spanmetrics' calls and duration histogram, with exemplars) as "
                    + "OTLP (one ExportMetricsServiceRequest per series and span-metrics.export-interval, protobuf, "
                    + "delta temporality) to kafka://HOST:PORT/TOPIC, for an OpenTelemetry Collector's Kafka receiver.")
    Endpoint metricsOut;

    @Option(
            names = "--source-format",
            paramLabel = "FORMAT",
            description = "How the source's records are encoded: mplp (protocol JSON, the default), otlp_proto (one "
                    + "OTLP ExportTraceServiceRequest per record, as the OpenTelemetry Collector's Kafka exporter "
                    + "writes it) or otlp_json. Sets ingest.source-format.")
    String sourceFormat;

    @Option(
            names = "--alertmanager",
            paramLabel = "URL",
            split = ",",
            converter = AlertmanagerLocationConverter.class,
            description = "Also post alerts to Alertmanager's v2 API at http://HOST:PORT: triggered ones firing "
                    + "(posted again while open), resolved ones resolved; several Alertmanagers (URL,URL or the "
                    + "option repeated) each get every alert; settings under `alertmanager:` in the config.")
    List<AlertmanagerLocation> alertmanager;

    @Option(
            names = "--stop-at-end",
            description = "Kafka source: stop at the end offsets of the topic as of the start (a bounded run).")
    boolean stopAtEnd;

    @Option(
            names = "--checkpoints",
            paramLabel = "DIR",
            description = "Where the job's checkpoints go (sets execution.checkpointing.dir). An embedded run (java -jar, "
                    + "no cluster) resumes from the newest completed checkpoint a killed or stopped run left there; "
                    + "default for embedded runs: ./" + DEFAULT_CHECKPOINTS + " (delete it to start afresh).")
    Path checkpoints;

    /** The checkpoint directory of embedded runs, under the working directory. */
    static final String DEFAULT_CHECKPOINTS = "checkpoints";

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        if (sourceFormat != null) {
            config.overrides.put("ingest.source-format", sourceFormat);
        }
        if (checkpoints != null) {
            config.overrides.put("execution.checkpointing.dir", checkpoints.toAbsolutePath().toUri().toString());
        }
        // an embedded run's default; a cluster's checkpoints go where the cluster's configuration says
        Map<String, String> commandDefaults = checkpoints == null && Environments.isEmbedded()
                ? Map.of("execution.checkpointing.dir", Path.of(DEFAULT_CHECKPOINTS).toAbsolutePath().toUri().toString())
                : Map.of();
        RunSummary summary = StreamJob.run(
                new StreamJob.Options(
                        source, alerts, deadLetters, late, stopAtEnd, archive, rules, otlpOut, alertmanager,
                        metricsOut, breaches),
                config.load(commandDefaults, console::println),
                console);
        if (summary != null) { // null: submitted detached, the cluster runs it
            summary.print(console);
        }
        return 0;
    }
}
