package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mplp.trace.testing.OtelSpans;
import dev.mplp.trace.testing.ProtocolSamples;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise: {@code java -jar jobs/target/trace-analytics.jar} runs on its own, on an embedded Flink,
 * although the jar leaves Flink's classes out. Runs the packaged jar in a JVM of its own.
 */
class ShadedJarITCase {

    private static final Path JAR = Path.of(System.getProperty("trace.analytics.jar", "target/trace-analytics.jar"));

    @TempDir
    Path dir;

    @Test
    void streamsTheProtocolSamplesOnAnEmbeddedFlink() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String sample : List.of(
                ProtocolSamples.START, ProtocolSamples.UPDATE, ProtocolSamples.METRICS, ProtocolSamples.COMPLETE)) {
            lines.add(mapper.writeValueAsString(mapper.readTree(ProtocolSamples.text(sample))));
        }
        lines.add("{\"message_type\": \"trace.execution.start\"");
        Path input = Files.write(dir.resolve("samples.jsonl"), lines);

        Result result = run("stream", "--source", "file:" + input, "--alerts", "file:" + dir.resolve("alerts"),
                "--dlq", "file:" + dir.resolve("dlq"), "--set", "execution.checkpointing.interval=1s");

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output)
                .contains("Embedded Flink, web UI at http://127.0.0.1:")
                .containsPattern("messages read\\s+5")
                .containsPattern("accepted\\s+4")
                .containsPattern("malformed_json\\s+1");
        assertThat(JsonLinesOutput.read(dir.resolve("dlq")))
                .singleElement()
                .satisfies(letter -> assertThat(letter.get("source_position").asText()).endsWith(":5"));
    }

    /** The OTLP classes, protobuf and its JSON mapping are in the jar: OTLP/JSON lines, written by the SDK. */
    @Test
    void streamsOtlpJsonRequestsOnAnEmbeddedFlink() throws Exception {
        Instant start = Instant.parse("2026-11-25T10:00:00Z");
        try (OtelSpans otel = new OtelSpans()) {
            List<SpanData> spans = List.of(
                    otel.span("checkout", "charge", start, start.plusMillis(300), false),
                    otel.span("inventory", "lookup", start.plusMillis(50), start.plusMillis(150), true));
            Path input = Files.write(dir.resolve("otlp.jsonl"),
                    List.of(OtelSpans.jsonRequest(spans), "{\"resourceSpans\": 7}"));

            Result result = run("stream", "--source", "file:" + input, "--source-format", "otlp_json",
                    "--alerts", "file:" + dir.resolve("alerts"), "--dlq", "file:" + dir.resolve("dlq"),
                    "--set", "execution.checkpointing.interval=1s");

            assertThat(result.exitCode).as(result.output).isZero();
            assertThat(result.output)
                    .containsPattern("records read\\s+2")
                    .containsPattern("messages read\\s+5")
                    .containsPattern("accepted\\s+4")
                    .containsPattern("malformed_otlp\\s+1");
        }
    }

    @Test
    void theDemoShowsItsIncidentsByTypeWritesItsBreachesAndAccountsForEveryRecord() throws Exception {
        Result result = run("demo", "--out", dir.resolve("out").toString());

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output)
                .containsPattern("performance_degradation resolved\\s+\\d+")
                .containsPattern("threshold_breach triggered\\s+\\d+")
                .containsPattern("incomplete_span triggered\\s+\\d+")
                .containsPattern("degradation_trend triggered\\s+\\d+")
                .containsPattern("error_burst triggered\\s+\\d+")
                .containsPattern("performance_degradation triggered\\s+\\d+")
                .containsPattern("duplicate\\s+\\d+")
                .doesNotContain("WARNING: read !=");
        assertThat(JsonLinesOutput.read(dir.resolve("out").resolve("alerts"))).isNotEmpty();
        assertThat(JsonLinesOutput.read(dir.resolve("out").resolve("breaches")))
                .as("every span over its own limit, the evidence behind the incidents")
                .hasSizeGreaterThan(1000);
    }

    @Test
    void wrongArgumentsExitWithCodeTwoAndSayWhatIsWrong() throws Exception {
        Result result = run("stream", "--source", "file:" + dir.resolve("missing.jsonl"),
                "--alerts", "file:" + dir.resolve("alerts"), "--dlq", "file:" + dir.resolve("dlq"));

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("missing.jsonl");
    }

    private Result run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged jar (mvn package)").exists();
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("output.txt");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not finish in 3 minutes:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}
}
