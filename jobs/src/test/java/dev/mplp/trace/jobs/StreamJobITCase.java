package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.generator.GeneratorSettings;
import dev.mplp.trace.generator.MalformedMessages;
import dev.mplp.trace.generator.TrafficGenerator;
import dev.mplp.trace.generator.TrafficWriter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.testing.MiniClusters;
import dev.mplp.trace.testing.ProtocolSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The streaming job over files, on a MiniCluster: every record read is accepted or dead-lettered for its reason. */
class StreamJobITCase {

    @RegisterExtension
    static final MiniClusters.Extension FLINK = MiniClusters.extension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> SAMPLES = List.of(
            ProtocolSamples.START, ProtocolSamples.UPDATE, ProtocolSamples.METRICS, ProtocolSamples.COMPLETE);

    /** Pages per span (detection.incidents.page-per-span): these tests follow single spans' incidents. */
    private static final TraceAnalyticsConfig CONFIG = ConfigLoader.load(null, Map.of(
            "execution.checkpointing.interval", "1s", "detection.incidents.page-per-span", "true"));

    @TempDir
    Path dir;

    @Test
    void acceptsTheFourProtocolSamples() throws Exception {
        Path input = writeLines("samples.jsonl", SAMPLES.stream().map(StreamJobITCase::compact).toList());

        RunSummary summary = run(input);

        assertThat(summary.read()).isEqualTo(4);
        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(summary.deadLetters()).isEmpty();
        assertThat(JsonLinesOutput.read(dir.resolve("dlq"))).isEmpty();
    }

    @Test
    void deadLettersEveryMalformedRecordWithItsReasonAndPosition() throws Exception {
        List<MalformedMessages.Entry> corpus = MalformedMessages.corpus(CONFIG.ingest().maxMessageBytes());
        List<String> lines = new ArrayList<>(corpus.stream().map(MalformedMessages.Entry::line).toList());
        // the samples in between: a bad record must not disturb its neighbours
        SAMPLES.forEach(sample -> lines.add(compact(sample)));
        Path input = writeLines("corpus.jsonl", lines);

        RunSummary summary = run(input);

        List<JsonNode> deadLetters = JsonLinesOutput.read(dir.resolve("dlq"));
        Map<Integer, String> reasonByLine = new TreeMap<>();
        for (JsonNode letter : deadLetters) {
            String position = letter.get("source_position").asText();
            assertThat(position).startsWith("file:" + input.toAbsolutePath() + ":");
            reasonByLine.put(Integer.parseInt(position.substring(position.lastIndexOf(':') + 1)),
                    letter.get("reason").asText());
        }
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            expected.put(i + 1, corpus.get(i).expectedReason().wireName());
        }
        assertThat(reasonByLine).isEqualTo(expected);
        assertThat(summary.read()).isEqualTo(lines.size());
        assertThat(summary.accepted()).isEqualTo(SAMPLES.size());
        assertThat(summary.deadLettered()).isEqualTo(corpus.size()).isEqualTo(deadLetters.size());
        assertThat(summary.balanced()).isTrue();
        Map<String, Long> byReason = deadLetters.stream()
                .collect(Collectors.groupingBy(l -> l.get("reason").asText(), TreeMap::new, Collectors.counting()));
        assertThat(byReason).isEqualTo(summary.deadLetters().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().wireName(), Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    @Test
    void aMessageDeliveredTwiceIsAcceptedOnceAndDeadLetteredOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        SAMPLES.forEach(sample -> lines.add(compact(sample)));
        lines.add(compact(ProtocolSamples.UPDATE));
        Path input = writeLines("twice.jsonl", lines);

        RunSummary summary = run(input);

        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(summary.deadLetters()).containsExactly(Map.entry(DeadLetterReason.DUPLICATE, 1L));
        List<JsonNode> deadLetters = JsonLinesOutput.read(dir.resolve("dlq"));
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.get("reason").asText()).isEqualTo("duplicate");
            assertThat(letter.get("message_id").asText()).isEqualTo("msg-trace-002");
        });
    }

    @Test
    void aResourceBreachOnOneServiceRaisesOneIncidentPerSpanThatIsLaterResolved() throws Exception {
        Path input = dir.resolve("traffic.jsonl");
        TrafficWriter.toFile(new TrafficGenerator(GeneratorSettings.builder()
                        .seed(11)
                        .duration(Duration.ofSeconds(40))
                        .rate(3)
                        .fault("cpu:catalog@+10s/20s:percent=97")
                        .build()), input, 0);

        RunSummary summary = run(input);

        List<JsonNode> alerts = JsonLinesOutput.read(dir.resolve("alerts"));
        List<JsonNode> cpu = alerts.stream()
                .filter(a -> a.get("metric").asText().equals("cpu_usage_percent"))
                .filter(a -> a.get("alert_type").asText().equals("threshold_breach"))
                .toList();
        assertThat(cpu).isNotEmpty();
        assertThat(cpu).allSatisfy(alert -> {
            assertThat(alert.get("service_name").asText()).isEqualTo("catalog");
            assertThat(alert.get("alert_type").asText()).isEqualTo("threshold_breach");
        });
        // span incidents end with their span; a pattern's may still be open when the input ends
        Map<String, List<String>> statesById = alerts.stream()
                .filter(a -> a.get("alert_type").asText().equals("threshold_breach") && !a.get("span_id").isNull())
                .collect(Collectors.groupingBy(
                a -> a.get("alert_id").asText(), TreeMap::new,
                Collectors.mapping(a -> a.get("evaluation_result").asText(), Collectors.toList())));
        assertThat(statesById.values())
                .as("every span incident is triggered once and resolved once")
                .allSatisfy(states -> assertThat(states).containsExactlyInAnyOrder("triggered", "resolved"));
        assertThat(summary.balanced()).isTrue();
    }

    @Test
    void ruleDocumentsAreReadFromTheirOwnSourceAndABadOneIsDeadLetteredWithItsReason() throws Exception {
        Path input = writeLines("samples.jsonl", SAMPLES.stream().map(StreamJobITCase::compact).toList());
        Path rules = writeLines("rules.jsonl", List.of(
                "{\"version\": 1, \"silences\": [{\"service\": \"catalog\"}]}",
                "{\"version\": 2, \"thresholds\": {\"cpu_usage_percent\": \"high\"}}"));

        RunSummary summary = StreamJob.run(StreamJob.Options.of(
                        new Endpoint.File(input),
                        new Endpoint.File(dir.resolve("alerts")),
                        new Endpoint.File(dir.resolve("dlq")),
                        null,
                        false).withRules(new Endpoint.File(rules)),
                CONFIG,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(JsonLinesOutput.read(dir.resolve("dlq"))).singleElement().satisfies(letter -> {
            assertThat(letter.get("reason").asText()).isEqualTo("invalid_type");
            assertThat(letter.get("detail").asText()).startsWith("rule document:");
            assertThat(letter.get("source_position").asText()).endsWith("rules.jsonl:2");
        });
    }

    private RunSummary run(Path input) throws Exception {
        StreamJob.Options options = StreamJob.Options.of(
                new Endpoint.File(input),
                new Endpoint.File(dir.resolve("alerts")),
                new Endpoint.File(dir.resolve("dlq")),
                new Endpoint.File(dir.resolve("late")),
                false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunSummary summary = StreamJob.run(options, CONFIG, new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(JsonLinesOutput.hiddenFiles(dir.resolve("dlq"))).as("no in-progress files left").isEmpty();
        return summary;
    }

    private Path writeLines(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String compact(String sample) {
        try {
            return MAPPER.writeValueAsString(MAPPER.readTree(ProtocolSamples.text(sample)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
