package dev.mplp.trace.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.config.ConfigLoader;
import dev.mplp.trace.config.Durations;
import dev.mplp.trace.records.DeadLetterReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

    private static final Instant START = Instant.parse("2025-09-03T10:00:00Z");

    @Test
    void parsesTheFullSyntax() {
        FaultSpec fault = FaultSpec.parse("latency:checkout/charge@+2m/1m:factor=5");

        assertThat(fault.type()).isEqualTo(FaultType.LATENCY);
        assertThat(fault.service()).isEqualTo("checkout");
        assertThat(fault.operation()).isEqualTo("charge");
        assertThat(fault.offset()).isEqualTo(Duration.ofMinutes(2));
        assertThat(fault.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(fault.factor()).isEqualTo(5.0);
        assertThat(fault.from(START)).isEqualTo(START.plusSeconds(120));
        assertThat(fault.until(START)).isEqualTo(START.plusSeconds(180));
    }

    @Test
    void theWindowAndParametersMayBeLeftOut() {
        FaultSpec whole = FaultSpec.parse("duplicate:*");

        assertThat(whole.anyService()).isTrue();
        assertThat(whole.operation()).isNull();
        assertThat(whole.offset()).isZero();
        assertThat(whole.duration()).isNull();
        assertThat(whole.until(START)).isEqualTo(Instant.MAX);
        assertThat(whole.fraction()).isEqualTo(0.05);
        assertThat(whole.delay()).isZero();

        FaultSpec open = FaultSpec.parse("out_of_order:inventory@+90s");
        assertThat(open.offset()).isEqualTo(Duration.ofSeconds(90));
        assertThat(open.duration()).isNull();
        assertThat(open.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(open.fraction()).isEqualTo(0.2);
    }

    @Test
    void eachTypeHasDefaults() {
        assertThat(FaultSpec.parse("latency:a").factor()).isEqualTo(5.0);
        assertThat(FaultSpec.parse("errors:a").fraction()).isEqualTo(0.5);
        assertThat(FaultSpec.parse("cpu:a").percent()).isEqualTo(97.0);
        assertThat(FaultSpec.parse("memory:a").memoryMb()).isEmpty();
        assertThat(FaultSpec.parse("memory:a:mb=4096").memoryMb()).hasValue(4096.0);
        assertThat(FaultSpec.parse("incomplete:a").fraction()).isEqualTo(0.5);
        FaultSpec malformed = FaultSpec.parse("malformed:a");
        assertThat(malformed.fraction()).isEqualTo(0.05);
        assertThat(malformed.reason()).isEmpty();
        assertThat(malformed.variant()).isEmpty();
        assertThat(malformed.maxBytes()).isEmpty();
        FaultSpec narrowed = FaultSpec.parse("malformed:a:reason=oversize,max_bytes=65536");
        assertThat(narrowed.reason()).hasValue(DeadLetterReason.OVERSIZE);
        assertThat(narrowed.maxBytes()).hasValue(65536);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "latency:checkout/charge@+2min/1min:factor=5",
        "errors:inventory@+30s/2min:fraction=0.4",
        "cpu:catalog@+1min/1min",
        "cpu:catalog/search_products@+1min/1min:percent=99.5",
        "memory:notification:mb=3000",
        "incomplete:notification/send_email@+10s/500ms:fraction=0.25",
        "pause:*@+20min",
        "malformed:*:fraction=0.02,reason=missing_field",
        "malformed:*@+1h:variant=oversize_by_one_byte,max_bytes=1048576",
        "duplicate:*@+0s/10min:fraction=0.1,delay=2s",
        "out_of_order:*@+1min:fraction=0.3,max_delay=45s",
        "latency:checkout",
    })
    void canonicalTextRoundTrips(String text) {
        FaultSpec fault = FaultSpec.parse(text);

        assertThat(fault.toString()).isEqualTo(text);
        assertThat(FaultSpec.parse(fault.toString())).isEqualTo(fault);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "out-of-order:*@90s:max_delay=60000ms                      | out_of_order:*@+90s:max_delay=1min",
        "LATENCY:checkout/*@+120s/60s:factor=5.0                   | latency:checkout@+2min/1min:factor=5",
        "errors:inventory@+0s:fraction=0.50                        | errors:inventory:fraction=0.5",
        "duplicate:*:delay=0s,fraction=.1                          | duplicate:*:fraction=0.1,delay=0s",
        "' cpu:catalog@+3601s/24h '                                 | cpu:catalog@+3601s/1d",
    })
    void otherSpellingsAreWrittenCanonically(String text, String canonical) {
        FaultSpec fault = FaultSpec.parse(text);

        assertThat(fault.toString()).isEqualTo(canonical);
        assertThat(FaultSpec.parse(canonical)).isEqualTo(fault);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                   | empty fault",
        "latency                              | has no target",
        "slow:checkout                        | unknown type 'slow'; known: latency, errors, cpu, memory",
        "latency:                             | names no service",
        "latency:@+1m                         | names no service",
        "latency:*/charge                     | '*' stands for every service and cannot name an operation",
        "latency:check out                    | 'check out' is not a service name",
        "latency:checkout/charge/x            | is not SERVICE or SERVICE/OPERATION",
        "latency:checkout@soon                | bad offset: 'soon' is not a duration",
        "latency:checkout@+1m/0s              | the duration must be positive",
        "latency:checkout@+1m/5x              | bad duration: '5x' is not a duration",
        "latency:checkout@+30s1m              | bad offset: '30s1m' is not a duration",
        "latency:checkout:                    | gives no KEY=VALUE",
        "latency:checkout:factor              | 'factor' is not KEY=VALUE (parameters of latency: factor)",
        "latency:checkout:speed=2             | unknown parameter 'speed'; latency takes factor",
        "latency:checkout:factor=fast         | factor=fast is not a number above 0",
        "latency:checkout:factor=0            | factor=0 is not a number above 0",
        "latency:checkout:factor=2,factor=3   | gives 'factor' twice",
        "errors:checkout:fraction=1.5         | fraction=1.5 is not a fraction above 0 and at most 1",
        "cpu:checkout:percent=120             | percent=120 is not a percentage above 0 and at most 100",
        "malformed:*:reason=bogus             | reason=bogus is not a dead-letter reason; known: oversize, malformed_json",
        "malformed:*:reason=duplicate         | a malformed record cannot be a duplicate; use the duplicate fault",
        "malformed:*:reason=oversize          | reason=oversize needs max_bytes",
        "malformed:*:variant=nope             | variant=nope is not a malformation",
        "malformed:*:variant=json_null,reason=missing_field | variant=json_null is a malformed_json record, not missing_field",
        "malformed:*:variant=oversize_by_one_byte | needs max_bytes",
        "malformed:*:max_bytes=-1             | max_bytes=-1 is not a whole number of bytes above 0",
        "out_of_order:*:max_delay=0s          | max_delay=0s: the delay must be positive",
    })
    void badTextIsRejectedWithAMessageThatSaysWhy(String text, String message) {
        assertThatThrownBy(() -> FaultSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void errorsQuoteTheWholeFault() {
        assertThatThrownBy(() -> FaultSpec.parse("latency:checkout:factor=-2"))
                .hasMessageStartingWith("fault 'latency:checkout:factor=-2': ");
    }

    @Test
    void aFaultTargetsItsServiceAndOperationDuringItsWindow() {
        FaultSpec fault = FaultSpec.parse("latency:checkout/charge@+2m/1m");
        long start = START.toEpochMilli();

        assertThat(fault.targets("checkout", "charge")).isTrue();
        assertThat(fault.targets("checkout", "place_order")).isFalse();
        assertThat(fault.targets("checkout", null)).as("service-wide messages").isFalse();
        assertThat(fault.targets("inventory", "charge")).isFalse();
        assertThat(fault.activeAt(start, start + 119_999)).isFalse();
        assertThat(fault.activeAt(start, start + 120_000)).isTrue();
        assertThat(fault.activeAt(start, start + 179_999)).isTrue();
        assertThat(fault.activeAt(start, start + 180_000)).isFalse();

        FaultSpec service = FaultSpec.parse("cpu:checkout");
        assertThat(service.targets("checkout", null)).isTrue();
        assertThat(service.targets("checkout", "charge")).isTrue();
        assertThat(FaultSpec.parse("cpu:*").targets("anything", "at_all")).isTrue();
    }

    @Test
    void faultsCanBeBuiltInCode() {
        FaultSpec fault = FaultSpec.of(FaultType.OUT_OF_ORDER, "*", null)
                .during(Duration.ofSeconds(30), Duration.ofMinutes(2))
                .with("max_delay", Duration.ofSeconds(45))
                .with("fraction", 0.25);

        assertThat(fault).hasToString("out_of_order:*@+30s/2min:fraction=0.25,max_delay=45s");
        assertThat(fault.parameters()).isEqualTo(Map.of("fraction", "0.25", "max_delay", "45s"));
        assertThatThrownBy(() -> FaultSpec.of(FaultType.ERRORS, "a", null).with("factor", 2))
                .hasMessageContaining("unknown parameter 'factor'");
    }

    @Test
    void typesAreKnownByName() {
        assertThat(FaultType.fromWireName("out-of-order")).hasValue(FaultType.OUT_OF_ORDER);
        assertThat(FaultType.fromWireName("Malformed")).hasValue(FaultType.MALFORMED);
        assertThat(FaultType.fromWireName("slow")).isEmpty();
        assertThat(FaultType.names()).isEqualTo(
                "latency, errors, cpu, memory, incomplete, pause, malformed, duplicate, out_of_order");
        assertThat(FaultType.DUPLICATE.isTransport()).isTrue();
        assertThat(FaultType.LATENCY.isTransport()).isFalse();
    }

    @Test
    void durationsHaveACanonicalText() {
        assertThat(Durations.format(Duration.ofMillis(90_500))).isEqualTo("90500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofHours(25))).isEqualTo("25h");
        assertThat(Durations.parse("25 h")).isEqualTo(Duration.ofHours(25));
        assertThat(Durations.parse("250")).as("Flink's rule: no unit is milliseconds").isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void faultSpecsTheCommandLineAndTheConfigurationShareOneDurationGrammar() {
        for (String text : List.of("500ms", "30s", "5min", "5m", "2h", "1d", "250")) {
            Duration expected = org.apache.flink.util.TimeUtils.parseDuration(text);
            assertThat(FaultSpec.parse("cpu:catalog@+" + text).offset()).as(text).isEqualTo(expected);
            assertThat(new dev.mplp.trace.jobs.cli.DurationConverter().convert(text)).as(text).isEqualTo(expected);
            assertThat(ConfigLoader.load(null, Map.of("event-time.idle-timeout", text)).eventTime().idleTimeout())
                    .as(text)
                    .isEqualTo(expected);
        }
        assertThatThrownBy(() -> FaultSpec.parse("cpu:catalog@+1m30s")).hasMessageContaining("1m30s");
    }
}
