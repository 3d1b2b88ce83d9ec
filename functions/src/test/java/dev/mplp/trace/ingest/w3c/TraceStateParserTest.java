package dev.mplp.trace.ingest.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TraceStateParserTest {

    @Test
    void keepsValidMembersInOrderAroundOptionalWhitespaceAndEmptyMembers() {
        W3cList list = TraceStateParser.parse(" congo=t61rcWkgMzE ,, rojo=00f067aa0ba902b7\t");

        assertThat(list.members()).containsExactly(
                org.assertj.core.api.Assertions.entry("congo", "t61rcWkgMzE"),
                org.assertj.core.api.Assertions.entry("rojo", "00f067aa0ba902b7"));
        assertThat(list.header()).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(list.dropped()).isEmpty();
    }

    @Test
    void multiTenantKeysFollowTheGrammar() {
        W3cList list = TraceStateParser.parse("fw529a3039@dt=abc,0tenant@sys=1,tenant@9sys=2,tenant@systemnamelong1=3");

        assertThat(list.members()).containsOnlyKeys("fw529a3039@dt", "0tenant@sys");
        assertThat(list.dropped()).containsExactly("invalid_key", "invalid_key");
    }

    @Test
    void dropsBadKeysValuesAndMissingEqualsButNeverTheRest() {
        W3cList list = TraceStateParser.parse(
                "Upper=1,1digit=2,ok=fine,tab=a\tb,eq=a=b,bare,empty=,ok=again");

        assertThat(list.members()).containsOnlyKeys("ok");
        assertThat(list.members().get("ok")).isEqualTo("fine");
        assertThat(list.dropped()).containsExactly("invalid_key", "invalid_key", "invalid_value",
                "invalid_value", "missing_equals", "invalid_value", "duplicate_key");
    }

    @Test
    void theProtocolSampleIsNotATracestate() {
        W3cList list = TraceStateParser.parse("sampling=1.0;flags=detailed_metrics,performance_analysis");

        assertThat(list.members()).isEmpty();
        assertThat(list.header()).isNull();
        assertThat(list.dropped()).containsExactly("invalid_value", "missing_equals");
    }

    @Test
    void keepsAtMost32MembersAndLongestValues() {
        String members = IntStream.rangeClosed(1, 34).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));

        W3cList list = TraceStateParser.parse(members);

        assertThat(list.members()).hasSize(32).containsKey("k32").doesNotContainKey("k33");
        assertThat(list.dropped()).containsExactly("too_many_members", "too_many_members");
        assertThat(TraceStateParser.parse("a=" + "x".repeat(256)).members()).containsKey("a");
        assertThat(TraceStateParser.parse("a=" + "x".repeat(257)).dropped()).containsExactly("invalid_value");
        assertThat(TraceStateParser.parse("k" + "x".repeat(255) + "=1").members()).hasSize(1);
        assertThat(TraceStateParser.parse("k" + "x".repeat(256) + "=1").dropped()).containsExactly("invalid_key");
    }

    @Test
    void nullAndBlankAreEmpty() {
        assertThat(TraceStateParser.parse(null).members()).isEmpty();
        assertThat(TraceStateParser.parse("  ").dropped()).isEmpty();
    }
}
