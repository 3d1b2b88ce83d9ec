package dev.mplp.trace.records;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The records that travel between operators are Flink POJOs, serialized without falling back to Kryo. */
class RecordsSerializeAsPojosTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                RawMessage.class,
                TraceEvent.class,
                Thresholds.class,
                Measurements.class,
                DeadLetter.class,
                Alert.class,
                Exemplar.class,
                CompletedSpan.class,
                ServiceWindow.class,
                SpanSeriesPoint.class,
                MetricEvaluation.class
            })
    void serializesAsAPojoWithoutKryo(Class<?> recordClass) {
        assertSerializedAsPojoWithoutKryo(recordClass);
    }
}
