package dev.mplp.trace.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What of a completed span crosses to the window summaries and breach incidents. */
class CompletedSpanTest {

    /** The fields a summary leaves out: most of a span's bytes, which no summary reads. */
    private static final Set<String> DETAILS = Set.of("thresholds", "attributes", "resourceAttributes", "traceState",
            "statusMessage", "events", "links", "otlpResidual");

    @Test
    void aSummaryKeepsEveryFieldButTheDetails() throws Exception {
        CompletedSpan span = new CompletedSpan();
        List<Field> fields = Arrays.stream(CompletedSpan.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toList();
        for (Field field : fields) {
            field.set(span, aValueOf(field));
        }

        CompletedSpan summary = span.summary();

        assertThat(summary).isNotSameAs(span);
        assertThat(fields).extracting(Field::getName).containsAll(DETAILS);
        for (Field field : fields) {
            if (DETAILS.contains(field.getName())) {
                assertThat(field.get(summary)).as("left out: %s", field.getName()).isNull();
            } else {
                assertThat(field.get(summary)).as("kept: %s", field.getName()).isEqualTo(field.get(span));
            }
        }
    }

    /** A value that is not the field's default. */
    private static Object aValueOf(Field field) {
        Class<?> type = field.getType();
        if (type == String.class) {
            return field.getName() + "-value";
        } else if (type == long.class || type == Long.class) {
            return 42L;
        } else if (type == int.class || type == Integer.class) {
            return 7;
        } else if (type == double.class || type == Double.class) {
            return 12.5;
        } else if (type == boolean.class || type == Boolean.class) {
            return true;
        } else if (type == byte[].class) {
            return new byte[] {1, 2, 3};
        } else if (type == Thresholds.class) {
            return new Thresholds();
        }
        throw new AssertionError("a field of a type this test does not fill: " + field);
    }
}
