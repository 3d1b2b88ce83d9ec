package dev.mplp.trace.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceEventTest {

    @Test
    void withoutPayloadKeepsEveryOtherFieldIncludingOnesAddedLater() throws Exception {
        TraceEvent event = everyFieldSet();

        TraceEvent copy = event.withoutPayload();

        assertThat(event.payloadText()).as("the original keeps its payload").isEqualTo("payload-value");
        assertHasEveryFieldBut(copy, event, Set.of("payload"));
    }

    @Test
    void withoutSpanDetailsDropsOnlyWhatTheSpanExportsReadAndKeepsFieldsAddedLater() throws Exception {
        TraceEvent event = everyFieldSet();
        Set<String> exportOnly = Set.of("attributes", "resourceAttributes", "traceState", "baggage", "statusMessage",
                "events", "links", "otlpResidual");

        TraceEvent copy = event.withoutPayloadOrSpanDetails();

        assertThat(event.attributes).as("the original keeps its details").isEqualTo("attributes-value");
        Set<String> dropped = new HashSet<>(exportOnly);
        dropped.add("payload");
        assertHasEveryFieldBut(copy, event, dropped);
    }

    @Test
    void aCopyHasEveryFieldIncludingOnesAddedLater() throws Exception {
        TraceEvent event = everyFieldSet();

        TraceEvent copy = event.copy();

        assertThat(copy).isNotSameAs(event);
        assertHasEveryFieldBut(copy, event, Set.of());
    }

    /** {@code copy} has each field of {@code event} (every one set) but {@code dropped}, which are null in it. */
    private static void assertHasEveryFieldBut(TraceEvent copy, TraceEvent event, Set<String> dropped)
            throws IllegalAccessException {
        for (Field field : instanceFields()) {
            if (dropped.contains(field.getName())) {
                assertThat(field.get(copy)).as(field.getName()).isNull();
            } else {
                assertThat(field.get(copy)).as(field.getName()).isNotNull().isEqualTo(field.get(event));
            }
        }
    }

    private static TraceEvent everyFieldSet() throws IllegalAccessException {
        TraceEvent event = new TraceEvent();
        event.messageType = MessageType.UPDATE;
        event.eventTime = 1L;
        event.ingestTime = 2L;
        event.success = Boolean.TRUE;
        event.spanStartTime = 3L;
        event.otlpResidual = new byte[] {4};
        event.thresholds = new Thresholds();
        event.measurements = new Measurements();
        event.payload = "payload-value".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Field field : instanceFields()) {
            if (field.getType() == String.class) {
                field.set(event, field.getName() + "-value");
            }
        }
        return event;
    }

    private static Field[] instanceFields() {
        return Arrays.stream(TraceEvent.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toArray(Field[]::new);
    }
}
