package dev.mplp.trace.ingest.w3c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BaggageParserTest {

    @Test
    void theProtocolSampleHasThreeMembers() {
        W3cList list = BaggageParser.parse("workflow_id=wf-001,priority=high,environment=production");

        assertThat(list.members()).containsExactly(
                entry("workflow_id", "wf-001"), entry("priority", "high"), entry("environment", "production"));
        assertThat(list.dropped()).isEmpty();
    }

    @Test
    void valuesArePercentDecodedAsUtf8AndKeptEncodedInTheHeader() {
        W3cList list = BaggageParser.parse("userId=alice%20smith , city = M%C3%BCnchen,odd=%FF");

        assertThat(list.members()).containsExactly(
                entry("userId", "alice smith"), entry("city", "München"), entry("odd", "\uFFFD"));
        assertThat(list.header()).isEqualTo("userId=alice%20smith,city=M%C3%BCnchen,odd=%FF");
    }

    @Test
    void propertiesStayInTheHeaderButNotInTheValue() {
        W3cList list = BaggageParser.parse("key1=value1;property1;property2, key2 = value2 ;p=v%2C1");

        assertThat(list.members()).containsExactly(entry("key1", "value1"), entry("key2", "value2"));
        assertThat(list.header()).isEqualTo("key1=value1;property1;property2,key2=value2;p=v%2C1");
    }

    @Test
    void dropsInvalidMembersWithTheirReason() {
        W3cList list = BaggageParser.parse(
                "ok=1,bad key=1,quote=\"x\",pct=%G1,noequals,prop=1;bad prop,ok=2,space=a b");

        assertThat(list.members()).containsExactly(entry("ok", "1"));
        assertThat(list.dropped()).containsExactly("invalid_key", "invalid_value", "invalid_value",
                "missing_equals", "invalid_property", "duplicate_key", "invalid_value");
    }

    @Test
    void keepsAtMost64MembersAnd8192Bytes() {
        String many = IntStream.rangeClosed(1, 65).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
        assertThat(BaggageParser.parse(many).members()).hasSize(64);
        assertThat(BaggageParser.parse(many).dropped()).containsExactly("too_many_members");

        String big = "a=" + "x".repeat(5000) + ",b=" + "y".repeat(5000);
        assertThat(BaggageParser.parse(big).members()).containsOnlyKeys("a");
        assertThat(BaggageParser.parse(big).dropped()).containsExactly("too_long");
    }
}
