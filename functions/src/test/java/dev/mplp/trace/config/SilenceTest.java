package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SilenceTest {

    private static final Instant FROM = Instant.parse("2025-09-03T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2025-09-03T11:00:00Z");

    @Test
    void aSilenceCoversTheIncidentsThatStartedWithinItsTimeInEventTime() {
        Silence maintenance = new Silence(NameMatcher.valueOf("~check.*"), null, null).during(FROM, UNTIL);

        assertThat(maintenance.matches("error_burst", "checkout", "charge", FROM.toEpochMilli())).isTrue();
        assertThat(maintenance.matches("error_burst", "checkout", "charge", UNTIL.toEpochMilli() - 1)).isTrue();
        // expired: an incident that starts at its end or later is sent, and so is one that started before it
        assertThat(maintenance.matches("error_burst", "checkout", "charge", UNTIL.toEpochMilli())).isFalse();
        assertThat(maintenance.matches("error_burst", "checkout", "charge", FROM.toEpochMilli() - 1)).isFalse();
        assertThat(maintenance.matches("error_burst", "catalog", "search", FROM.toEpochMilli())).isFalse();
    }

    @Test
    void everyMatcherGivenMustMatchAndAlertTypesMatchByRegularExpressionToo() {
        Silence breaches = new Silence(null, NameMatcher.including().excluding("charge"),
                NameMatcher.valueOf("~.*_breach"));

        assertThat(breaches.matches("sustained_breach", "checkout", "list_cart", 0)).isTrue();
        assertThat(breaches.matches("threshold_breach", null, null, 0)).isTrue();
        assertThat(breaches.matches("sustained_breach", "checkout", "charge", 0)).isFalse();
        assertThat(breaches.matches("error_burst", "checkout", "list_cart", 0)).isFalse();
    }

    @Test
    void aSilenceOfNothingUnreadableTimesAndAnEndBeforeTheStartAreRefused() {
        assertThat(new Silence().problem()).contains("must give a service, an operation or an alert type");
        assertThat(new Silence(NameMatcher.including().excluding("x"), null, null).problem()).isNull();
        Silence badEnd = new Silence(NameMatcher.valueOf("checkout"), null, null);
        badEnd.endsAt = "tomorrow";
        assertThat(badEnd.problem()).startsWith("ends-at: 'tomorrow' is not an ISO-8601 instant");
        assertThat(new Silence(NameMatcher.valueOf("checkout"), null, null).during(UNTIL, FROM).problem())
                .isEqualTo("ends-at must be after starts-at");
        assertThat(new Silence(NameMatcher.valueOf("~("), null, null).problem()).startsWith("service: ");
    }
}
