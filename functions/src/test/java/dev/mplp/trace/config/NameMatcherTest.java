package dev.mplp.trace.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameMatcherTest {

    @Test
    void exactNamesAndWholeNameRegularExpressionsAreIncludedAndExcluded() {
        NameMatcher payments = NameMatcher.including("checkout", "~pay.*").excluding("~.*-canary", "payments-old");

        assertThat(payments.matches("checkout")).isTrue();
        assertThat(payments.matches("payments")).isTrue();
        assertThat(payments.matches("payments-canary")).isFalse();
        assertThat(payments.matches("payments-old")).isFalse();
        // exact names are not patterns, and a pattern matches the whole name
        assertThat(payments.matches("checkouts")).isFalse();
        assertThat(payments.matches("repay")).isFalse();
        assertThat(payments.matches(null)).isFalse();
    }

    @Test
    void withoutIncludesEveryNameNotExcludedMatchesAnUnknownOneToo() {
        NameMatcher allButHealth = NameMatcher.including().excluding("~health.*");

        assertThat(allButHealth.matches("charge")).isTrue();
        assertThat(allButHealth.matches("healthz")).isFalse();
        assertThat(allButHealth.matches(null)).isTrue();
        assertThat(NameMatcher.matches(null, "anything")).isTrue();
    }

    @Test
    void aRegularExpressionThatDoesNotCompileIsNamed() {
        assertThat(NameMatcher.including("~pay(").problem()).contains("'~pay('").contains("not a regular expression");
        assertThat(NameMatcher.including("checkout").excluding("").problem()).contains("empty entry");
        assertThat(NameMatcher.including("checkout", "~pay.*").problem()).isNull();
    }

    @Test
    void theFirstScopedRuleThatAppliesWins() {
        record Share(NameMatcher service, NameMatcher operation, double share) implements Scoped {}
        List<Share> shares = List.of(
                new Share(NameMatcher.valueOf("checkout"), NameMatcher.valueOf("~charge|refund"), 0.01),
                new Share(NameMatcher.valueOf("checkout"), null, 0.05),
                new Share(null, NameMatcher.including().excluding("~health.*"), 0.1));

        assertThat(Scoped.first(shares, "checkout", "refund").share()).isEqualTo(0.01);
        assertThat(Scoped.first(shares, "checkout", "list_cart").share()).isEqualTo(0.05);
        assertThat(Scoped.first(shares, "catalog", "search").share()).isEqualTo(0.1);
        assertThat(Scoped.first(shares, "catalog", "healthz")).isNull();
    }
}
