package dev.mplp.trace.jobs.cli;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.generator.FaultSpec;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.mplp.trace.config.KafkaClientProperties;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import dev.mplp.trace.generator.GeneratedMessage;
import dev.mplp.trace.generator.SignedTraffic;
import dev.mplp.trace.security.IntegrityKeys;
import dev.mplp.trace.security.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Write generated protocol traffic, with injected faults, to a file or Kafka.",
            "Traces with start, updates and completion across several services, periodic trace.metrics.collect,",
            "log-normal latencies, and the faults you name. The same seed and options give the same bytes.",
            "",
            "Fault syntax: " + FaultSpec.SYNTAX,
            "  types: latency (factor), errors (fraction), cpu (percent), memory (mb), incomplete (fraction),",
            "         malformed (fraction, reason, variant, max_bytes), duplicate (fraction, delay),",
            "         out_of_order (fraction, max_delay)",
            "  e.g. latency:checkout/charge@+2m/1m:factor=5   errors:inventory@+30s/2m:fraction=0.4",
            "       malformed:*:fraction=0.02   out_of_order:*@+1m:max_delay=45s",
            "Services: checkout, inventory, catalog, notification."
        })
public class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--output",
            required = true,
            paramLabel = "LOCATION",
            converter = EndpointConverter.class,
            description = "kafka://HOST:PORT/TOPIC (keyed by trace_id) or file:PATH (JSON lines).")
    Endpoint output;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = GeneratorSettings.DEFAULT_SEED;

    @Option(
            names = "--start",
            paramLabel = "ISO-8601",
            description = "Event time of the first trace (default: ${DEFAULT-VALUE}).")
    Instant start = GeneratorSettings.DEFAULT_START;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Event time covered, e.g. 30s, 5m (default: 5m).")
    Duration duration = GeneratorSettings.DEFAULT_DURATION;

    @Option(
            names = "--rate",
            paramLabel = "TRACES_PER_SECOND",
            description = "New traces per second of event time (default: ${DEFAULT-VALUE}).")
    double rate = GeneratorSettings.DEFAULT_RATE;

    @Option(names = "--fault", paramLabel = "SPEC", description = "A fault to inject (repeatable); syntax above.")
    List<String> faults = new ArrayList<>();

    @Option(
            names = "--pace",
            paramLabel = "F",
            description = "Wall-clock seconds per second of event time: 0 as fast as possible (default), "
                    + "1 real time.")
    double pace;

    @Option(
            names = "--sign-keys",
            paramLabel = "FILE",
            description = "Sign every message (security.integrity_check) with the HMAC key of its sender_id from "
                    + "this properties file (SENDER_ID=BASE64_KEY; a * entry for any other sender).")
    Path signKeys;

    @Mixin
    ConfigOptions config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GeneratorSettings.Builder settings = GeneratorSettings.builder()
                .seed(seed)
                .start(start)
                .duration(duration)
                .rate(rate);
        faults.forEach(settings::fault);
        Iterable<GeneratedMessage> traffic = new TrafficGenerator(settings.build());
        if (signKeys != null) {
            traffic = new SignedTraffic(traffic, IntegrityKeys.load(signKeys.toString(), Secrets.fromEnvironment()));
        }
        Map<String, String> kafkaProperties = new TreeMap<>();
        KafkaClientProperties.resolve(config.load(spec.commandLine().getOut()::println).kafka().properties())
                .forEach((name, value) -> kafkaProperties.put(name.toString(), value.toString()));
        long written = TrafficWriter.write(traffic, output, pace, kafkaProperties);
        spec.commandLine().getOut().printf("wrote %,d messages to %s%n", written, output);
        return 0;
    }
}
